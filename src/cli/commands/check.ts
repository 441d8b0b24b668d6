// `pluginops check run ID`: one run of a HealthCheck from the project's documents, with each
// condition's verdict and what the probe measured. `pluginops check list`: the checks there are.
import { resolve } from 'node:path';
import { InvalidDocumentsError } from '../../documents/diagnostics.ts';
import type { Loaded } from '../../documents/document-set.ts';
import { loadDocuments } from '../../documents/load.ts';
import { definedEnv } from '../../execution/local.ts';
import { spawnProcess } from '../../engine/spawn.ts';
import type { CheckResult, JsonValue } from '../../monitor/checks/result.ts';
import { runCheck } from '../../monitor/checks/run.ts';
import { loadProject, type Project } from '../../project/load.ts';
import type { CliContext } from '../context.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

type Check = Loaded<'HealthCheck'>;
type Spec = Check['doc']['spec'];

/** The types with a probe; the others are accepted by the schema but cannot be run yet. */
const probed = ['http', 'tcp', 'command'] as const satisfies ReadonlyArray<Spec['type']>;
const isProbed = (type: Spec['type']): type is (typeof probed)[number] => (probed as readonly string[]).includes(type);

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
    if (!isProbed(spec.type)) {
      throw new CliError('E_NOT_SUPPORTED', `HealthCheck \`${id}\` is of type ${spec.type}, which pluginops cannot run yet; expected one of: ${probed.join(', ')}`, exitCodes.failed);
    }
    const result = await runCheck(spec, {
      fetch: globalThis.fetch, spawn: spawnProcess, now: Date.now, signal: ctx.signal, killGraceMs: project.killGraceMs,
      cwd: resolve(project.root, spec.workingDirectory ?? '.'), env: definedEnv(ctx.env),
    });
    ctx.stdout.write(values.json ? `${JSON.stringify({ id, type: spec.type, target: target(spec), ...result }, null, 2)}\n` : formatResult(id, result));
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
      .map((c) => ({ id: c.id, type: c.doc.spec.type, target: target(c.doc.spec) }))
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
  const { set, diagnostics } = await loadDocuments(project.documentPaths, cwd);
  if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
  return set.HealthCheck;
}

/** What a check probes, in one line. */
export function target(spec: Spec): string {
  switch (spec.type) {
    case 'http': return `${spec.method ?? 'GET'} ${spec.url ?? '(no url)'}`;
    case 'tcp': return `${spec.host ?? '(no host)'}:${spec.port ?? '(no port)'}`;
    case 'command': return spec.command ?? '(no command)';
    case 'prometheus': case 'loki': return spec.query ?? '(no query)';
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
