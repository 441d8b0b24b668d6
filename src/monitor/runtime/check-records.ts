// A check's record: its health after each result, and its recent results. Only the newest result
// keeps bodies and output; older ones keep what the API and rules use, so thousands of checks ×
// the history size stay a few bytes each.
import { healthStep, initialHealth } from '../checks/health.ts';
import type { CheckResult } from '../checks/result.ts';
import type { CheckConfig } from './config.ts';
import type { CheckRecord } from './state.ts';
import type { CheckView } from './view.ts';
import type { JobPause } from '../schedule/types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Adds `result` to the record (a new one when absent); `changed` when the check's health flipped. */
export function recordResult(
  rec: CheckRecord | undefined, result: CheckResult, check: CheckConfig, historySize: number,
): { rec: CheckRecord; changed?: 'healthy' | 'unhealthy' } {
  const out = rec ?? { health: initialHealth, history: [] };
  const { changed, ...health } = healthStep(out.health, result, check).next;
  out.health = health;
  const previous = out.history.length - 1;
  if (previous >= 0) out.history[previous] = compact(out.history[previous]!);
  out.history.push(result);
  if (out.history.length > historySize) out.history.splice(0, out.history.length - historySize);
  return { rec: out, ...(changed ? { changed } : {}) };
}

export function checkView(check: CheckConfig, rec: CheckRecord | undefined, paused?: JobPause): CheckView {
  const health = rec?.health ?? initialHealth;
  const last = rec?.history.at(-1);
  return {
    id: check.id, type: check.spec.type, healthy: health.healthy, consecutiveFailures: health.consecutiveFailures,
    consecutiveSuccesses: health.consecutiveSuccesses, ...(last ? { last } : {}), history: rec?.history ?? [],
    ...(paused ? { paused: { by: paused.by, at: iso(paused.at), reason: paused.reason, ...(paused.until === undefined ? {} : { until: iso(paused.until) }) } } : {}),
  };
}

/** No captured bodies, output, log lines or evidence, and only the conditions that failed. */
const bulky = new Set(['body', 'json', 'output', 'lines', 'detail']);
function compact(r: CheckResult): CheckResult {
  const fields: CheckResult['fields'] = {};
  for (const [k, v] of Object.entries(r.fields)) if (!bulky.has(k) && v !== null) fields[k] = v;
  const out: CheckResult = { at: r.at, ok: r.ok, durationMs: r.durationMs, fields, conditions: r.ok ? [] : r.conditions.filter((c) => !c.ok) };
  if (r.error !== undefined) out.error = r.error;
  return out;
}
