// What one run of a health check produces: the probe's measured fields, each condition's verdict
// and the overall verdict. Plain data, so the engine can store, diff and render it.
import type { Evidence } from '../incidents/evidence.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Measured values by name: `status`, `responseTime` (ms), `body` (first 64 KiB), `json` (the
 * parsed body or null), `certificateDaysLeft`, `connected`, `exitCode`, `output`; Prometheus
 * `value` and `series`; Loki `count`, `lines` and `truncated`; plugin `healthy` and `detail`. A
 * field a probe could not measure is null. `json` and `lines` may hold an object or array.
 */
export type CheckFields = Record<string, JsonValue>;

export interface ConditionResult {
  expression: string;
  ok: boolean;
  /** Why the condition could not be evaluated (it then counts as not ok). */
  error?: string;
}

export interface CheckResult {
  /** When the probe started, ms since the epoch (from the injected clock). */
  at: number;
  /** True when the probe succeeded and every condition holds. */
  ok: boolean;
  durationMs: number;
  fields: CheckFields;
  conditions: ConditionResult[];
  /** Why the probe failed: timeout, refused connection, missing setting, … */
  error?: string;
  /** What an alert on this result shows: the lines a Loki query matched, a Prometheus answer, why a check failed (capped). */
  evidence?: Evidence;
}

/** What a probe hands back; it never throws. `ok` is false when it could not measure. */
export interface ProbeOutcome {
  ok: boolean;
  fields: CheckFields;
  error?: string;
  evidence?: Evidence;
}

/** Bodies and command output are kept up to this many bytes. */
export const maxCapturedBytes = 64 * 1024;

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
