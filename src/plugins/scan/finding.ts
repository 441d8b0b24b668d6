// What a scan reports: findings (one rule matched at one place), the ones an inline comment
// suppressed, and the descriptions of the rules behind them.
import { createHash } from 'node:crypto';
import type { SeverityName } from './severity.ts';

/** A rule as reports describe it (SARIF's rule list). */
export interface RuleInfo {
  id: string;
  severity: SeverityName;
  message: string;
  fix: string;
  cwe?: string;
}

export interface Finding {
  ruleId: string;
  severity: SeverityName;
  /** Relative to the scanned directory, with `/` separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units: where the match starts. */
  col: number;
  message: string;
  fix: string;
  /** The line, trimmed and shortened; secrets in it are masked. */
  snippet: string;
  cwe?: string;
  /** A hash of the trimmed source line, for SARIF fingerprints (the line itself may hold a secret). */
  lineHash: string;
}

export interface SuppressedFinding extends Finding {
  justification: string;
}

/** Deterministic order: file, line, column, rule id (code-unit order, not locale order). */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.ruleId, b.ruleId);
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type ReportedFinding = Omit<Finding, 'lineHash'>;

/** The fields a report shows. */
export function publicFinding(f: Finding): ReportedFinding {
  const { lineHash: _hash, ...rest } = f;
  return rest;
}

export const lineHash = (line: string): string => createHash('sha256').update(line.trim()).digest('hex').slice(0, 32);

const maxSnippet = 160;

/** The line around a match, trimmed; `mask` hides the matched text after its first four characters. */
export function snippetOf(line: string, index: number, length: number, mask: boolean): string {
  const shown = mask ? line.slice(0, index) + line.slice(index, index + Math.min(4, length)) + '****' + line.slice(index + length) : line;
  const text = shown.trim();
  if (text.length <= maxSnippet) return text;
  const lead = shown.length - shown.trimStart().length;
  const start = Math.max(0, Math.min(index - lead - 40, text.length - maxSnippet));
  return (start > 0 ? '…' : '') + text.slice(start, start + maxSnippet) + (start + maxSnippet < text.length ? '…' : '');
}
