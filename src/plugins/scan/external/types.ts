// What an external scanner contributes: hits located by file, line and column; the scan adds the
// snippet and applies inline suppressions as it does for its own rules.
import type { Spawner } from '../../../engine/spawn.ts';
import type { LogLevel } from '../../../store/types.ts';
import type { SeverityName } from '../severity.ts';

export interface ExternalHit {
  ruleId: string;
  severity: SeverityName;
  /** Relative to the scanned root, `/`-separated. */
  file: string;
  line: number;
  col: number;
  message: string;
  fix: string;
  cwe?: string;
}

export type ScanLog = (message: string, level: LogLevel) => void;

export interface ExternalOptions {
  spawn: Spawner;
  /** The absolute path of a program found on PATH, or undefined. */
  which: (program: string) => string | undefined;
  env: Record<string, string>;
  killGraceMs: number;
  signal: AbortSignal;
  /** A local semgrep config (absolute); semgrep runs only when one is given. */
  semgrepConfig?: string;
}

/** Turns a tool's stdout into hits, or says what was wrong with it. */
export type OutputParser = (stdout: string, root: string) => { hits: ExternalHit[] } | { problem: string };
