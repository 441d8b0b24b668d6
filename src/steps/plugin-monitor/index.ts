// `uses: plugin/monitor` — the soak window after a deploy: probes the plugin's health (its
// manifest probe, a URL or command given here, or named HealthCheck documents) every `interval`
// for `duration`; `failureThreshold` failures in a row fail the step, and so does a window that
// ends on a failing probe (the plugin must end the soak healthy). Records response times,
// package size and file count.
import { Type } from '@sinclair/typebox';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Duration, Timeout } from '../../documents/schema/common.ts';
import { sleep } from '../../engine/clock.ts';
import { parseDuration } from '../../engine/duration.ts';
import { probe, type Probe } from '../../plugins/probe.ts';
import { pluginHome } from '../../plugins/releases/layout.ts';
import { requireManifest, resolveTarget } from '../plugin/common.ts';
import { StepFailure, defineStep, type StepContext } from '../../engine/step.ts';

export const monitorStep = defineStep({
  description: 'Watches a plugin\'s health for a soak window after a deploy.',
  inputs: Type.Object({
    path: Type.Optional(Type.String()),
    target: Type.Optional(Type.String()),
    duration: Type.Optional(Duration),
    interval: Type.Optional(Duration),
    failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
    url: Type.Optional(Type.String({ pattern: '^https?://', description: 'An http:// or https:// URL.' })),
    command: Type.Optional(Type.String()),
    healthChecks: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'Ids of HealthCheck documents (http or command).' })),
    timeout: Type.Optional(Timeout),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { root, manifest } = await requireManifest(ctx);
    const { target } = resolveTarget(ctx, ctx.inputs.target);
    const live = target.type === 'directory' ? join(pluginHome(target.path, manifest.id).current) : root;
    const timeoutMs = parseDuration(ctx.inputs.timeout ?? manifest.health?.timeout ?? '10s');
    const probes = probesFor(ctx, manifest.health, live, timeoutMs);
    if (probes.length === 0) throw new StepFailure('nothing to probe: the manifest has no `health`, and the step gives no url, command or healthChecks');
    const duration = parseDuration(ctx.inputs.duration ?? '30s');
    const interval = parseDuration(ctx.inputs.interval ?? '5s');
    const threshold = ctx.inputs.failureThreshold ?? 3;
    const clock = ctx.edges.clock;
    const end = clock.now() + duration;
    const times: number[] = [];
    let inARow = 0, failures = 0, rounds = 0;
    let last = '';
    for (;;) {
      rounds++;
      for (const p of probes) {
        const r = await probe(p, { fetch: ctx.edges.fetch, spawn: ctx.edges.spawn, env: { ...ctx.env, PYTHONDONTWRITEBYTECODE: '1' }, killGraceMs: ctx.edges.killGraceMs, signal: ctx.signal, now: () => performance.now() });
        times.push(r.ms);
        ctx.log(`probe ${rounds}: ${r.ok ? 'healthy' : 'UNHEALTHY'} in ${Math.round(r.ms)}ms (${r.detail})`, r.ok ? 'info' : 'warn');
        if (r.ok) { inARow = 0; continue; }
        failures++;
        last = r.detail;
        if (++inARow >= threshold) {
          report(ctx, rounds, failures, times);
          throw new StepFailure(`${inARow} failed health probes in a row (threshold ${threshold}): ${r.detail}`);
        }
      }
      if (clock.now() + interval > end) break;
      await sleep(clock, interval, ctx.signal);
    }
    report(ctx, rounds, failures, times);
    if (inARow > 0) throw new StepFailure(`the soak window ended on ${inARow} failed health probe${inARow === 1 ? '' : 's'}: ${last}`);
    const list = await readFile(join(live, 'PLUGINOPS-FILES.json'), 'utf8').then((t) => JSON.parse(t) as { files: Array<{ size: number }> }).catch(() => undefined);
    if (list) {
      ctx.setOutput('fileCount', String(list.files.length));
      ctx.setOutput('packageBytes', String(list.files.reduce((n, f) => n + f.size, 0)));
    }
    ctx.log(`healthy for the soak window: ${rounds} round(s), ${failures} failed probe(s)`);
  },
});

function probesFor(ctx: StepContext<{ url?: string; command?: string; healthChecks?: string[] }>, health: { url?: string; command?: string; expectStatus?: number } | undefined, live: string, timeoutMs: number): Probe[] {
  const out: Probe[] = [];
  const url = ctx.inputs.url ?? (ctx.inputs.command ? undefined : health?.url);
  const command = ctx.inputs.command ?? (ctx.inputs.url ? undefined : health?.command);
  if (url) out.push({ kind: 'http', url, expectStatus: health?.expectStatus, timeoutMs });
  if (command) out.push({ kind: 'command', command, cwd: live, timeoutMs });
  for (const id of ctx.inputs.healthChecks ?? []) {
    const check = ctx.scope.project.healthChecks.get(id);
    if (!check) throw new StepFailure(`no HealthCheck \`${id}\`; expected one of: ${[...ctx.scope.project.healthChecks.keys()].join(', ') || '(none loaded)'}`);
    const t = check.spec.timeout ? parseDuration(check.spec.timeout) : timeoutMs;
    if (check.spec.type === 'http' && check.spec.url) out.push({ kind: 'http', url: check.spec.url, timeoutMs: t });
    else if (check.spec.type === 'command' && check.spec.command) out.push({ kind: 'command', command: check.spec.command, cwd: live, timeoutMs: t });
    else throw new StepFailure(`HealthCheck \`${id}\` is of type ${check.spec.type}; the soak window probes http and command checks`);
  }
  return out;
}

function report(ctx: StepContext<unknown>, rounds: number, failures: number, times: number[]): void {
  const sorted = [...times].sort((a, b) => a - b);
  ctx.setOutput('probes', String(times.length));
  ctx.setOutput('rounds', String(rounds));
  ctx.setOutput('failures', String(failures));
  ctx.setOutput('p50ResponseMs', String(Math.round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0)));
  ctx.setOutput('maxResponseMs', String(Math.round(sorted.at(-1) ?? 0)));
}
