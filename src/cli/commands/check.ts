// `pluginops check run ID`: one run of a HealthCheck from the project's documents, with each
// condition's verdict and what the probe measured. `pluginops check list`: the checks there are.
// Prometheus and loki checks without their own `server` use the project's `monitoring.prometheus`
// / `monitoring.loki` (a missing `{ env: NAME }` variable is an error before anything runs);
// plugin checks find the plugin under the project's `plugins:` directories (default: its root).
import { registry } from '../../wiring/registry.ts';
import { resolve } from 'node:path';
import { InvalidDocumentsError } from '../../documents/diagnostics.ts';
import type { Loaded } from '../../documents/document-set.ts';
import { loadDocuments } from '../../documents/load.ts';
import { definedEnv } from '../../runs/local.ts';
import { spawnProcess } from '../../engine/process/spawn.ts';
import type { CheckResult, JsonValue } from '../../monitor/checks/result.ts';
import { runCheck, type CheckEdges } from '../../monitor/checks/run.ts';
import { findPlugin } from '../../monitor/sources/plugins.ts';
import { projectServer, serverLabel } from '../../monitor/sources/servers.ts';
import { loadProject, type Project } from '../../project/load.ts';
import { MissingValueError } from '../../documents/values/values.ts';
import type { CliContext } from '../context.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

type Check = Loaded<'HealthCheck'>;
type Spec = Check['doc']['spec'];

export const checkRunCommand = defineCommand({
  name: 'check run',
  summary: 'Run one HealthCheck once and show each condition and what was measured',
  usage: 'pluginops check run ID [--json] [--config FILE]',
  options: {
    json: { type: 'boolean', default: false },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }, ctx) {
    const id = positionals[0];
    if (!id || positionals.length > 1) throw new CliError('E_USAGE', `check run takes one HealthCheck id\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const checks = await loadChecks(project, ctx.cwd);
    const check = checks.get(id);
    if (!check) throw new CliError('E_USAGE', `no HealthCheck \`${id}\`; expected one of: ${[...checks.keys()].sort().join(', ') || '(none found)'}`);
    const { spec } = check.doc;
    const pluginDirs = project.config.plugins?.map((d) => resolve(project.root, d)) ?? [project.root];
    const result = await runCheck(spec, {
      fetch: globalThis.fetch, spawn: spawnProcess, now: Date.now, signal: ctx.signal, killGraceMs: project.killGraceMs,
      cwd: resolve(project.root, spec.workingDirectory ?? '.'), env: definedEnv(ctx.env),
      servers: servers(project, spec, ctx.env), findPlugin: (plugin) => findPlugin(pluginDirs, plugin),
    });
    const shown = target(spec, project.config.monitoring);
    ctx.stdout.write(values.json ? `${JSON.stringify({ id, type: spec.type, target: shown, ...result }, null, 2)}\n` : formatResult(id, result));
    return result.ok ? exitCodes.success : exitCodes.failed;
  },
});

export const checkListCommand = defineCommand({
  name: 'check list',
  summary: 'List the project\'s HealthChecks: id, type and target',
  usage: 'pluginops check list [--json] [--config FILE]',
  options: {
    json: { type: 'boolean', default: false },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `check list takes no arguments\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const rows = [...(await loadChecks(project, ctx.cwd)).values()]
      .map((c) => ({ id: c.id, type: c.doc.spec.type, target: target(c.doc.spec, project.config.monitoring) }))
      .sort((a, b) => a.id.localeCompare(b.id));
    if (values.json) { ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`); return exitCodes.success; }
    if (rows.length === 0) { ctx.stdout.write('no HealthCheck documents found\n'); return exitCodes.success; }
    const idWidth = Math.max(...rows.map((r) => r.id.length));
    const typeWidth = Math.max(...rows.map((r) => r.type.length));
    for (const r of rows) ctx.stdout.write(`${r.id.padEnd(idWidth)}  ${r.type.padEnd(typeWidth)}  ${r.target}\n`);
    return exitCodes.success;
  },
});

async function loadChecks(project: Project, cwd: string): Promise<Map<string, Check>> {
  if (project.documentPaths.length === 0) return new Map();
  const { set, diagnostics } = await loadDocuments(project.documentPaths, cwd, { limits: project.documentLimits, registry });
  if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
  return set.HealthCheck;
}

/** The project's server for a prometheus or loki check that names none of its own. */
function servers(project: Project, spec: Spec, env: CliContext['env']): CheckEdges['servers'] {
  if ((spec.type !== 'prometheus' && spec.type !== 'loki') || spec.server !== undefined) return {};
  try {
    const server = projectServer(project.config.monitoring, spec.type, env);
    return server ? { [spec.type]: server } : {};
  } catch (e) {
    if (e instanceof MissingValueError) throw new CliError(e.code, e.message, e.kind);
    throw e;
  }
}

/** What a check probes, in one line; a server from `{ env: NAME }` shows as `$NAME`. */
export function target(spec: Spec, monitoring?: Project['config']['monitoring']): string {
  switch (spec.type) {
    case 'http': return `${spec.method ?? 'GET'} ${spec.url ?? '(no url)'}`;
    case 'tcp': return `${spec.host ?? '(no host)'}:${spec.port ?? '(no port)'}`;
    case 'command': return spec.command ?? '(no command)';
    case 'prometheus': case 'loki': {
      const server = spec.server ?? serverLabel(monitoring, spec.type) ?? '(no server)';
      const window = spec.type === 'loki' ? ` over ${spec.window ?? '5m'}` : '';
      return `${server} ${spec.query ?? '(no query)'}${window}`;
    }
    case 'plugin': return spec.plugin ?? '(no plugin)';
  }
}


export function formatResult(id: string, result: CheckResult): string {
  const lines = [`check ${id} ${result.ok ? 'ok' : 'FAILED'} in ${result.durationMs}ms`];
  if (result.error !== undefined) lines.push(`  error: ${result.error}`);
  for (const c of result.conditions) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.expression}${c.error ? ` (${c.error})` : ''}`);
  for (const [name, value] of Object.entries(result.fields)) {
    if (value === null) continue;
    lines.push(`  ${name}: ${shortValue(name, value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function shortValue(name: string, value: JsonValue): string {
  if (name === 'responseTime' && typeof value === 'number') return `${value}ms`;
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
