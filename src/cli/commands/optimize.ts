// `pluginops optimize analyze`: one analysis of the project's Optimization documents, here and
// now — from Prometheus, or from a metrics file (`--metrics FILE`, CSV or JSON) for a laptop or
// CI — printing each plugin's suggestions with their evidence, or why there is none. It keeps
// nothing: applying, verifying and the history need the long-lived `serve`. `--fail-on LEVEL`
// exits 1 when a suggestion is at least that severe (a CI gate).
//
// `pluginops optimize list|show|apply|dismiss|history`: clients of a running serve (client.ts).
import { resolve } from 'node:path';
import { isFinding, type Analysis, type Severity } from '../../optimize/analysis/types.ts';
import { analyzePlugin } from '../../optimize/analyze.ts';
import { Collector } from '../../optimize/collect.ts';
import type { MetricReader } from '../../optimize/ports.ts';
import { ServeReader } from '../../optimize/readers.ts';
import { MetricsFileError, readMetricsFile, seriesKey } from '../../optimize/sources/file.ts';
import type { Suggestion } from '../../optimize/suggestion.ts';
import { loadServeConfig } from '../../serve/config.ts';
import { defineCommand } from '../command.ts';
import { serveClient } from '../client.ts';
import { CliError, exitCodes } from '../errors.ts';
import { suggestionLine, suggestionText, findingText } from './optimize-text.ts';

const severities: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export const optimizeAnalyzeCommand = defineCommand({
  name: 'optimize analyze',
  summary: 'Analyse the Optimization documents once and print the suggestions (from Prometheus or a metrics file)',
  usage: 'pluginops optimize analyze [--metrics FILE] [--optimization ID] [--plugin ID] [--at TIME] [--fail-on low|medium|high|critical] [--json] [--config FILE]',
  options: {
    metrics: { type: 'string' }, optimization: { type: 'string' }, plugin: { type: 'string' }, at: { type: 'string' },
    'fail-on': { type: 'string' }, json: { type: 'boolean', default: false }, config: { type: 'string', short: 'c' },
  },
  async run({ values }, ctx) {
    const failOn = values['fail-on'];
    if (failOn !== undefined && !severities.includes(failOn as Severity)) throw new CliError('E_USAGE', `--fail-on expects one of ${severities.join(', ')}, found "${failOn}"`);
    const loaded = await loadServeConfig(ctx.cwd, values.config, ctx.env, Date.now());
    const items = [...loaded.optimization.items.values()].filter((i) => values.optimization === undefined || i.id === values.optimization);
    if (values.optimization !== undefined && items.length === 0) throw new CliError('E_USAGE', `no Optimization \`${values.optimization}\`; expected one of: ${[...loaded.optimization.items.keys()].join(', ') || '(none found)'}`);
    if (items.length === 0) throw new CliError('E_USAGE', 'the project has no Optimization document; see docs/optimization.md');
    if (values.plugin !== undefined && !items.some((i) => i.plugins.includes(values.plugin!))) {
      throw new CliError('E_USAGE', `no Optimization analyses plugin \`${values.plugin}\`; expected one of: ${[...new Set(items.flatMap((i) => i.plugins))].join(', ')}`);
    }
    let reader: MetricReader;
    let now = values.at === undefined ? Date.now() : Date.parse(values.at);
    if (!Number.isFinite(now)) throw new CliError('E_USAGE', `--at expects an ISO time such as 2026-12-01T12:00:00Z, found "${values.at}"`);
    if (values.metrics !== undefined) {
      const path = resolve(ctx.cwd, values.metrics);
      const file = await readMetricsFile(path);
      if (!file.ok) throw new MetricsFileError(path, file.problems, file.error);
      // Without --at, a file is analysed as of its newest sample.
      if (values.at === undefined) now = Math.max(...[...file.series.values()].map((s) => s.at(-1)?.t ?? 0), 0) || now;
      reader = fileReader(file.series);
      // Series no document reads are said, not silently dropped: a misspelt metric or plugin.
      const wanted = new Set(items.flatMap((i) => i.plugins.flatMap((p) => Object.keys(i.metrics).map((m) => seriesKey(p, m)))));
      const unused = [...file.series.keys()].filter((k) => !wanted.has(k)).map((k) => k.replace('\u0000', ' · '));
      if (unused.length) ctx.stderr.write(`${values.metrics}: ${unused.length} series no Optimization reads (plugin · metric): ${unused.slice(0, 10).join(', ')}${unused.length > 10 ? ', …' : ''}\n`);
    } else {
      reader = new ServeReader({ root: loaded.project.root, now: () => now, fetch: globalThis.fetch, servers: () => loaded.monitor.servers, pushed: () => [] });
    }
    const collector = new Collector(reader);
    const results: Array<{ optimization: string; plugin: string; analyses: Analysis[] }> = [];
    for (const item of items) {
      for (const plugin of item.plugins) {
        if (values.plugin !== undefined && plugin !== values.plugin) continue;
        results.push({ optimization: item.id, plugin, analyses: await analyzePlugin(item, plugin, now, collector, reader) });
      }
    }
    const sources = collector.status().filter((s) => !s.ok);
    if (values.json) ctx.stdout.write(`${JSON.stringify({ at: now, results, sourceErrors: sources }, null, 2)}\n`);
    else {
      for (const r of results) {
        ctx.stdout.write(`${r.optimization} · ${r.plugin}\n`);
        for (const a of r.analyses) ctx.stdout.write(isFinding(a) ? findingText(a) : `  – ${a.analyzer}: ${a.message}\n`);
      }
      for (const s of sources) ctx.stderr.write(`source of ${s.metric} for ${s.plugin} (${s.optimization}) failed: ${s.error}\n`);
      const n = results.flatMap((r) => r.analyses.filter(isFinding)).length;
      ctx.stdout.write(`${n} suggestion${n === 1 ? '' : 's'}\n`);
    }
    if (failOn !== undefined) {
      const bar = severities.indexOf(failOn as Severity);
      if (results.some((r) => r.analyses.some((a) => isFinding(a) && severities.indexOf(a.severity) >= bar))) return exitCodes.failed;
    }
    return exitCodes.success;
  },
});

/** A metrics file as a reader: its samples of (plugin, metric); other sources are not in a file. */
function fileReader(series: Map<string, Array<{ t: number; v: number }>>): MetricReader {
  return {
    async read({ plugin, metric, since, now }) {
      const samples = series.get(seriesKey(plugin, metric));
      if (!samples) return { ok: false, error: `the metrics file has no samples of ${metric} for ${plugin}` };
      return { ok: true, samples: samples.filter((s) => s.t > since && s.t <= now) };
    },
  };
}

const client = { url: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean', default: false }, config: { type: 'string', short: 'c' } } as const;
const path = (id: string, action = '') => `/api/optimization/suggestions/${encodeURIComponent(id)}${action}`;

function oneId(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || positionals[0] === '') throw new CliError('E_USAGE', `expected one suggestion id\nusage: ${usage}`);
  return positionals[0]!;
}

export const optimizeListCommand = defineCommand({
  name: 'optimize list',
  summary: 'The suggestions of a running serve (open ones unless --state says otherwise)',
  usage: 'pluginops optimize list [--state STATE|open] [--plugin ID] [--json] [--url URL]',
  options: { ...client, state: { type: 'string' }, plugin: { type: 'string' } },
  async run({ values }, ctx) {
    const q = new URLSearchParams({ ...(values.state ? { state: values.state } : {}), ...(values.plugin ? { plugin: values.plugin } : {}) }).toString();
    const { data } = await serveClient(ctx, values).request<Suggestion[]>('GET', `/api/optimization/suggestions${q ? `?${q}` : ''}`);
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : data.length ? data.map(suggestionLine).join('') : 'no suggestions\n');
    return exitCodes.success;
  },
});

export const optimizeShowCommand = defineCommand({
  name: 'optimize show',
  summary: 'One suggestion of a running serve: evidence, runbook, runs, verification',
  usage: 'pluginops optimize show ID [--json] [--url URL]',
  options: client,
  async run({ values, positionals }, ctx) {
    const { data } = await serveClient(ctx, values).request<Suggestion>('GET', path(oneId(positionals, this.usage)));
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : suggestionText(data));
    return exitCodes.success;
  },
});

export const optimizeApplyCommand = defineCommand({
  name: 'optimize apply',
  summary: 'Apply a suggestion of a running serve: its runbook runs, then the effect is verified',
  usage: 'pluginops optimize apply ID [--etag ETAG] [--key KEY] [--dry-run] [--json] [--url URL]',
  options: { ...client, etag: { type: 'string' }, key: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  async run({ values, positionals }, ctx) {
    const body = { ...(values.etag ? { etag: values.etag } : {}), ...(values.key ? { key: values.key } : {}), ...(values['dry-run'] ? { dryRun: true } : {}) };
    const { data } = await serveClient(ctx, values).request<Suggestion | { dryRun: true; runbook: string; parameters: Record<string, unknown> }>('POST', path(oneId(positionals, this.usage), '/apply'), body);
    if (values.json) ctx.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if ('dryRun' in data) ctx.stdout.write(`dry run: would run ${data.runbook} with ${JSON.stringify(data.parameters)}\n`);
    else ctx.stdout.write(`${data.id} is ${data.state}${data.run ? ` (run ${data.run.id})` : ''}${data.reason ? `: ${data.reason}` : ''}\n`);
    return 'state' in data && data.state === 'failed' ? exitCodes.failed : exitCodes.success;
  },
});

export const optimizeDismissCommand = defineCommand({
  name: 'optimize dismiss',
  summary: 'Dismiss a suggestion of a running serve',
  usage: 'pluginops optimize dismiss ID [--reason TEXT] [--etag ETAG] [--json] [--url URL]',
  options: { ...client, reason: { type: 'string' }, etag: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    const body = { ...(values.etag ? { etag: values.etag } : {}), ...(values.reason ? { reason: values.reason } : {}) };
    const { data } = await serveClient(ctx, values).request<Suggestion>('POST', path(oneId(positionals, this.usage), '/dismiss'), body);
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${data.id} dismissed\n`);
    return exitCodes.success;
  },
});

export const optimizeHistoryCommand = defineCommand({
  name: 'optimize history',
  summary: 'Ended suggestions of a running serve with their verdicts and before/after numbers',
  usage: 'pluginops optimize history [--plugin ID] [--state STATE] [--json] [--url URL]',
  options: { ...client, plugin: { type: 'string' }, state: { type: 'string' } },
  async run({ values }, ctx) {
    const q = new URLSearchParams({ ...(values.state ? { state: values.state } : {}), ...(values.plugin ? { plugin: values.plugin } : {}) }).toString();
    const { data } = await serveClient(ctx, values).request<Suggestion[]>('GET', `/api/optimization/history${q ? `?${q}` : ''}`);
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : data.length ? data.map(suggestionLine).join('') : 'no ended suggestions\n');
    return exitCodes.success;
  },
});
