// What an external scanner contributes: hits located by file, line and column; the scan adds the
// snippet and applies inline suppressions as it does for its own rules.
import type { Spawner } from '../../../engine/process/spawn.ts';
import type { LogLevel } from '../../../store/types.ts';
import type { Finding } from '../finding.ts';

/** A finding before the scan adds the line's snippet and hash. */
export type ExternalHit = Omit<Finding, 'snippet' | 'lineHash'>;

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
