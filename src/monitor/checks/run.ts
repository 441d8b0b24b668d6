// One run of a HealthCheck: pick the probe for its type, then judge its fields by the conditions
// (or the type's defaults). The edges (fetch, spawner, clock, cancellation, the project's query
// servers and plugins) come from the caller. A prometheus or loki check's `server` replaces the
// project's server entirely (its headers and tenant are not sent to another URL).
import type { Static } from '@sinclair/typebox';
import type { HealthCheckSpec } from '../../documents/schema/operations.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { Spawner } from '../../engine/process/spawn.ts';
import { probeCommand } from './command.ts';
import { conditionsFor, evaluateConditions, type CheckType } from './conditions.ts';
import { probeHttp, type Fetch } from './http.ts';
import type { ProbeFetch } from './lean-fetch.ts';
import { defaultWindowMs, probeLoki } from './loki.ts';
import { probePlugin } from './plugin.ts';
import { probePrometheus } from './prometheus.ts';
import { errorText, type CheckResult, type ProbeOutcome } from './result.ts';
import { probeTcp } from './tcp.ts';
import { checkEvidence } from '../incidents/gathered.ts';
import type { FoundPlugin } from '../sources/plugins.ts';
import type { QueryServer } from '../sources/request.ts';

export type CheckSpec = Pick<Static<typeof HealthCheckSpec>, 'type' | 'url' | 'method' | 'headers' | 'body' | 'host' | 'port' | 'command' | 'query' | 'server' | 'window' | 'plugin' | 'timeout' | 'conditions'>;

export interface CheckEdges {
  fetch: Fetch;
  /** For http checks, when given: a leaner client than `fetch` (see lean-fetch.ts). */
  httpFetch?: ProbeFetch;
  spawn: Spawner;
  now: () => number;
  signal?: AbortSignal;
  killGraceMs: number;
  /** For command checks; the current directory and environment unless given. */
  cwd?: string;
  env?: Record<string, string>;
  /** The project's servers (`monitoring.prometheus` / `monitoring.loki`), values already read. */
  servers?: { prometheus?: QueryServer; loki?: QueryServer };
  /** For plugin checks: the plugin with this manifest id, or undefined when there is none. */
  findPlugin?: (id: string) => Promise<FoundPlugin | undefined>;
  /** The project's mask, applied to captured text (log lines) before it is cut to size. */
  mask?: (text: string) => string;
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
  // Query probes bring what they matched; any other check that fails says what it saw.
  if (outcome.evidence) result.evidence = outcome.evidence;
  else if (!result.ok) result.evidence = checkEvidence(result);
  return result;
}

type Probe = (spec: CheckSpec, edges: CheckEdges, timeoutMs: number) => Promise<ProbeOutcome>;

const failed = (error: string): ProbeOutcome => ({ ok: false, fields: {}, error });

const probes = {
  http: (spec, edges, timeoutMs) => spec.url === undefined ? Promise.resolve(failed('an http check needs `url`'))
    : probeHttp({ url: spec.url, method: spec.method, headers: spec.headers, body: spec.body, timeoutMs }, { ...edges, fetch: edges.httpFetch ?? edges.fetch }),
  tcp: (spec, edges, timeoutMs) => spec.host === undefined || spec.port === undefined ? Promise.resolve(failed('a tcp check needs `host` and `port`'))
    : probeTcp({ host: spec.host, port: spec.port, timeoutMs }, edges),
  command: (spec, edges, timeoutMs) => spec.command === undefined ? Promise.resolve(failed('a command check needs `command`'))
    : probeCommand({ command: spec.command, timeoutMs, cwd: edges.cwd ?? process.cwd(), env: edges.env ?? processEnv() }, edges),
  prometheus: (spec, edges, timeoutMs) => queried('prometheus', spec, edges, (server, query) =>
    probePrometheus({ server, query, timeoutMs }, edges)),
  loki: (spec, edges, timeoutMs) => queried('loki', spec, edges, (server, query) =>
    probeLoki({ server, query, windowMs: spec.window === undefined ? defaultWindowMs : parseDuration(spec.window), timeoutMs }, edges)),
  plugin: (spec, edges, timeoutMs) => spec.plugin === undefined ? Promise.resolve(failed('a plugin check needs `plugin`'))
    : probePlugin({ plugin: spec.plugin, timeoutMs: spec.timeout === undefined ? undefined : timeoutMs, defaultTimeoutMs },
      { ...edges, env: edges.env ?? processEnv() }),
} satisfies Record<CheckType, Probe>;

/** A prometheus or loki probe with its query and server: the check's own `server`, else the project's. */
function queried(type: 'prometheus' | 'loki', spec: CheckSpec, edges: CheckEdges, run: (server: QueryServer, query: string) => Promise<ProbeOutcome>): Promise<ProbeOutcome> {
  if (spec.query === undefined) return Promise.resolve(failed(`a ${type} check needs \`query\``));
  const server = spec.server !== undefined ? { url: spec.server } : edges.servers?.[type];
  if (!server) return Promise.resolve(failed(`a ${type} check needs a server: give \`server\` in the check, or \`monitoring.${type}.url\` in the project file`));
  return run(server, spec.query);
}

async function probe(spec: CheckSpec, edges: CheckEdges): Promise<ProbeOutcome> {
  let timeoutMs: number;
  try { timeoutMs = spec.timeout === undefined ? defaultTimeoutMs : parseDuration(spec.timeout); } catch (e) { return failed(errorText(e)); }
  try { return await probes[spec.type](spec, edges, timeoutMs); } catch (e) { return failed(errorText(e)); }
}

const processEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
