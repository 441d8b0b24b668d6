// One run of a HealthCheck: pick the probe for its type, then judge its fields by the conditions
// (or the type's defaults). The edges (fetch, spawner, clock, cancellation) come from the caller.
import type { Static } from '@sinclair/typebox';
import type { HealthCheckSpec } from '../../documents/schema/operations.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { Spawner } from '../../engine/spawn.ts';
import { probeCommand } from './command.ts';
import { conditionsFor, evaluateConditions, type CheckType } from './conditions.ts';
import { probeHttp, type Fetch } from './http.ts';
import { errorText, type CheckResult, type ProbeOutcome } from './result.ts';
import { probeTcp } from './tcp.ts';

export type CheckSpec = Pick<Static<typeof HealthCheckSpec>, 'type' | 'url' | 'method' | 'headers' | 'body' | 'host' | 'port' | 'command' | 'timeout' | 'conditions'>;

export interface CheckEdges {
  fetch: Fetch;
  spawn: Spawner;
  now: () => number;
  signal?: AbortSignal;
  killGraceMs: number;
  /** For command checks; the current directory and environment unless given. */
  cwd?: string;
  env?: Record<string, string>;
}

/** Used when a HealthCheck gives no `timeout`. */
export const defaultTimeoutMs = 10_000;

export async function runCheck(spec: CheckSpec, edges: CheckEdges): Promise<CheckResult> {
  const at = edges.now();
  const outcome = await probe(spec, edges);
  const durationMs = edges.now() - at;
  // Judged even when the probe failed: the verdicts show what was missing (e.g. `connected` false).
  const conditions = evaluateConditions(spec.type, conditionsFor(spec.type, spec.conditions), outcome.fields);
  const result: CheckResult = { at, ok: outcome.ok && conditions.every((c) => c.ok), durationMs, fields: outcome.fields, conditions };
  if (outcome.error !== undefined) result.error = outcome.error;
  return result;
}

type Probe = (spec: CheckSpec, edges: CheckEdges, timeoutMs: number) => Promise<ProbeOutcome>;

const failed = (error: string): ProbeOutcome => ({ ok: false, fields: {}, error });

// Not implemented yet: these types fail plainly rather than pretend to pass.
const notSupported: Probe = async (spec) => failed(`${spec.type} checks are not supported yet`);

const probes = {
  http: (spec, edges, timeoutMs) => spec.url === undefined ? Promise.resolve(failed('an http check needs `url`'))
    : probeHttp({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, timeoutMs }, edges),
  tcp: (spec, edges, timeoutMs) => spec.host === undefined || spec.port === undefined ? Promise.resolve(failed('a tcp check needs `host` and `port`'))
    : probeTcp({ host: spec.host, port: spec.port, timeoutMs }, edges),
  command: (spec, edges, timeoutMs) => spec.command === undefined ? Promise.resolve(failed('a command check needs `command`'))
    : probeCommand({ command: spec.command, timeoutMs, cwd: edges.cwd ?? process.cwd(), env: edges.env ?? processEnv() }, edges),
  prometheus: notSupported,
  loki: notSupported,
  plugin: notSupported,
} satisfies Record<CheckType, Probe>;

async function probe(spec: CheckSpec, edges: CheckEdges): Promise<ProbeOutcome> {
  let timeoutMs: number;
  try { timeoutMs = spec.timeout === undefined ? defaultTimeoutMs : parseDuration(spec.timeout); } catch (e) { return failed(errorText(e)); }
  try { return await probes[spec.type](spec, edges, timeoutMs); } catch (e) { return failed(errorText(e)); }
}

const processEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
