// One scan of a plugin tree: walk it, match the rules line by line, merge the external scanners'
// hits, apply inline suppressions, and return everything in a deterministic order.
import { readFile } from 'node:fs/promises';
import type { FileLanguage } from './comments.ts';
import { runExternalScanners } from './external/run.ts';
import type { ExternalHit, ExternalOptions, ScanLog } from './external/types.ts';
import { cmp, compareFindings, lineHash, snippetOf, type Finding, type RuleInfo, type SuppressedFinding } from './finding.ts';
import { matchLines } from './match.ts';
import type { CompiledRule } from './rule-file.ts';
import { applyMarkers, findMarkers, reasonlessMarkers, suppressionRule } from './suppression.ts';
import { walkPlugin, type SourceFile } from './walk.ts';

export const maxFileSize = 1024 * 1024;
const binaryProbe = 8 * 1024;

export interface ScanOptions {
  /** The plugin directory, absolute. */
  root: string;
  rules: readonly CompiledRule[];
  /** Glob patterns of files and directories to leave out (see glob.ts). */
  exclude?: readonly string[];
  signal?: AbortSignal;
  /** Run bandit / semgrep through these edges; leave out to run none. */
  external?: ExternalOptions;
  log?: ScanLog;
}

export type SkipReason = 'binary' | 'larger than 1 MiB' | 'unreadable';

export interface ScanResult {
  /** Files read. */
  files: number;
  skipped: Array<{ file: string; reason: SkipReason }>;
  /** Findings not suppressed, sorted by file, line, column, rule. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
  /** Every rule that was active or reported something, sorted by id. */
  rules: RuleInfo[];
}

export async function scanPlugin(o: ScanOptions): Promise<ScanResult> {
  const log = o.log ?? (() => undefined);
  const files = await walkPlugin(o.root, o.exclude, o.signal);
  const walked = new Set(files.map((f) => f.rel));
  const external = (o.external ? await runExternalScanners(o.root, o.external, log) : []).filter((h) => walked.has(h.file));
  const hitsByFile = groupBy(external, (h) => h.file);
  const result: ScanResult = { files: 0, skipped: [], findings: [], suppressed: [], rules: ruleInfos(o.rules, external) };
  for (const file of files) {
    o.signal?.throwIfAborted();
    const text = await readSource(file);
    if (typeof text !== 'string') { result.skipped.push({ file: file.rel, reason: text.skip }); continue; }
    result.files++;
    const { kept, suppressed } = scanFile(file.rel, text, file.language, o.rules, hitsByFile.get(file.rel) ?? []);
    result.findings.push(...kept);
    result.suppressed.push(...suppressed);
  }
  result.findings.sort(compareFindings);
  result.suppressed.sort(compareFindings);
  return result;
}

/** One file's text against the rules, with the external hits for that file. */
export function scanFile(file: string, text: string, language: FileLanguage, rules: readonly CompiledRule[], hits: readonly ExternalHit[] = []): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const markers = findMarkers(lines, language);
  const found = [...matchLines(file, lines, language, rules), ...hits.map((h) => fromHit(h, lines[h.line - 1] ?? ''))];
  const { kept, suppressed } = applyMarkers(found, markers);
  return { kept: [...kept, ...reasonlessMarkers(file, lines, markers)], suppressed };
}

async function readSource(file: SourceFile): Promise<string | { skip: SkipReason }> {
  if (file.size > maxFileSize) return { skip: 'larger than 1 MiB' };
  let data: Buffer;
  try { data = await readFile(file.path); } catch { return { skip: 'unreadable' }; }
  if (data.subarray(0, binaryProbe).includes(0)) return { skip: 'binary' };
  return data.toString('utf8');
}

function fromHit(h: ExternalHit, line: string): Finding {
  return { ...h, snippet: snippetOf(line, Math.max(0, h.col - 1), 0, false), lineHash: lineHash(line) };
}

function ruleInfos(rules: readonly CompiledRule[], hits: readonly ExternalHit[]): RuleInfo[] {
  const byId = new Map<string, RuleInfo>();
  const add = (r: RuleInfo) => { if (!byId.has(r.id)) byId.set(r.id, { id: r.id, severity: r.severity, message: r.message, fix: r.fix, ...(r.cwe ? { cwe: r.cwe } : {}) }); };
  for (const r of rules) add(r);
  add(suppressionRule);
  const order = (a: ExternalHit, b: ExternalHit) => cmp(a.ruleId, b.ruleId) || cmp(a.file, b.file) || a.line - b.line || a.col - b.col;
  for (const h of [...hits].sort(order)) add({ ...h, id: h.ruleId });
  return [...byId.values()].sort((a, b) => cmp(a.id, b.id));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
  return out;
}
