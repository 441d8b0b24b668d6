// The plugin probe: the health probe a plugin's manifest declares (`health.url` and/or
// `health.command`), run as the plugin/monitor step runs it, with the plugin's directory as the
// working directory. Fields: healthy (every declared probe passed), detail (what each said) and
// responseTime (ms for all of them). An unknown plugin or a manifest without `health` is a
// failed probe; an unhealthy plugin is a measurement for the conditions.
import { parseDuration } from '../../engine/duration.ts';
import type { Spawner } from '../../engine/process/spawn.ts';
import { probe, type Probe, type ProbeResult } from '../../plugins/probe.ts';
import type { FoundPlugin } from '../sources/plugins.ts';
import type { Fetch } from './http.ts';
import type { CheckFields, ProbeOutcome } from './result.ts';

export interface PluginProbe {
  plugin: string;
  /** The check's own timeout, which wins over the manifest's `health.timeout`. */
  timeoutMs?: number;
  /** When neither the check nor the manifest gives one. */
  defaultTimeoutMs: number;
}

export interface PluginEdges {
  fetch: Fetch;
  spawn: Spawner;
  now: () => number;
  signal?: AbortSignal;
  killGraceMs: number;
  env: Record<string, string>;
  findPlugin?: (id: string) => Promise<FoundPlugin | undefined>;
}

export async function probePlugin(p: PluginProbe, edges: PluginEdges): Promise<ProbeOutcome> {
  const fields: CheckFields = { healthy: null, detail: null, responseTime: null };
  if (!edges.findPlugin) return { ok: false, fields, error: 'plugin checks need the project\'s plugin directories, and none were given' };
  const found = await edges.findPlugin(p.plugin);
  if (!found) return { ok: false, fields, error: `no plugin \`${p.plugin}\` was found; expected the id of a plugin (its manifest's \`id\`) under the project's plugin directories` };
  const health = found.manifest.health;
  const timeoutMs = p.timeoutMs ?? (health?.timeout ? parseDuration(health.timeout) : undefined) ?? p.defaultTimeoutMs;
  const probes: Probe[] = [];
  if (health?.url) probes.push({ kind: 'http', url: health.url, expectStatus: health.expectStatus, timeoutMs });
  if (health?.command) probes.push({ kind: 'command', command: health.command, cwd: found.dir, timeoutMs });
  if (probes.length === 0) return { ok: false, fields, error: `plugin \`${p.plugin}\` declares no health probe; expected \`health.url\` or \`health.command\` in its manifest` };
  const signal = edges.signal ?? new AbortController().signal;
  const fetch: typeof globalThis.fetch = (input, init) => edges.fetch(input instanceof Request ? input.url : String(input), init ?? {});
  const started = edges.now();
  const results: ProbeResult[] = [];
  for (const one of probes) {
    results.push(await probe(one, { fetch, spawn: edges.spawn, env: { ...edges.env, PYTHONDONTWRITEBYTECODE: '1' }, killGraceMs: edges.killGraceMs, signal, now: edges.now }));
  }
  fields.responseTime = edges.now() - started;
  fields.healthy = results.every((r) => r.ok);
  fields.detail = results.map((r) => r.detail).join('; ');
  if (signal.aborted) return { ok: false, fields, error: 'cancelled' };
  return { ok: true, fields };
}
