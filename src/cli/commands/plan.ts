// `pluginops plan WORKFLOW`: the dry run — what would run, in order and why.
// `pluginops plan --changed --base REF`: the plugins changed since REF, as text, JSON or a
// GitHub Actions matrix (`{"include":[…]}`) for one job per plugin.
import { registry } from '../../wiring/registry.ts';
import { dryRun, toMermaid } from '../../engine/dry-run.ts';
import { resolveParameters } from '../../engine/parameters.ts';
import { plan } from '../../engine/plan.ts';
import { refProblem, type ChangedPlugin } from '../../project/changed.ts';
import { runGit } from '../../project/changed/git.ts';
import { changedMatrix, matrixLimit } from '../../project/changed-matrix.ts';
import { loadProject } from '../../project/load.ts';
import { findWorkflow } from '../../project/workflows.ts';
import type { CliContext } from '../context.ts';
import { resolve } from 'node:path';
import type { StepGraph } from '../../engine/plan.ts';
import { manifestId } from '../../plugins/manifest.ts';
import type { Project } from '../../project/load.ts';
import { changeOf } from '../../risk/change/index.ts';
import { localConflicts } from '../../risk/conflicts/git.ts';
import { conflictText } from '../../risk/conflicts/text.ts';
import { changeText, riskText } from '../../risk/text.ts';
import { assessBeforeRun } from '../../runs/risk.ts';
import type { ChangeSummary, RiskAssessment } from '../../store/risk.ts';
import { openProjectStore } from './store-open.ts';
import { defineCommand, keyValues } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

const formats = ['text', 'mermaid', 'json', 'matrix'] as const;
type Format = (typeof formats)[number];


export const planCommand = defineCommand({
  name: 'plan',
  summary: 'Show what a run would do, in order and why, without side effects; or which plugins changed',
  usage: 'pluginops plan WORKFLOW [--param key=value]... [--risk [--plugin DIR] [--base REF [--head REF]]] [--format text|mermaid|json] [--config FILE] [--store DIR]\n'
    + '       pluginops plan --changed --base REF [--head REF] [--risk] [--conflicts] [--format text|json|matrix] [--config FILE]',
  options: {
    param: { type: 'string', short: 'p', multiple: true },
    format: { type: 'string', default: 'text' },
    config: { type: 'string', short: 'c' },
    changed: { type: 'boolean', default: false },
    base: { type: 'string' },
    head: { type: 'string' },
    risk: { type: 'boolean', default: false },
    conflicts: { type: 'boolean', default: false },
    plugin: { type: 'string' },
    store: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    const format = formats.find((f) => f === values.format);
    if (!format) throw new CliError('E_USAGE', `--format is one of ${formats.join(', ')}, found "${values.format}"`);
    if (values.changed) return planChanged({ ...values, format }, ctx, this.usage);
    if (values.conflicts) throw new CliError('E_USAGE', `--conflicts goes with --changed --base REF\nusage: ${this.usage}`);
    for (const flag of ['base', 'head', 'plugin'] as const) {
      if (values[flag] !== undefined && !values.risk) throw new CliError('E_USAGE', `--${flag} goes with --changed (or with --risk)\nusage: ${this.usage}`);
    }
    if (values.head !== undefined && values.base === undefined) throw new CliError('E_USAGE', `--head goes with --base\nusage: ${this.usage}`);
    if (values.base !== undefined && values.plugin === undefined) throw new CliError('E_USAGE', `--base measures a plugin's change: add --plugin DIR\nusage: ${this.usage}`);
    if (format === 'matrix') throw new CliError('E_USAGE', `--format matrix lists changed plugins: add --changed --base REF\nusage: ${this.usage}`);
    const name = positionals[0];
    if (!name) throw new CliError('E_USAGE', `plan takes one workflow\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const graph = plan((await findWorkflow(project, ctx.cwd, name, registry)).doc, registry.steps);
    const params = resolveParameters(graph.parameters, keyValues(values.param, '--param'));
    const rows = dryRun(graph, params);
    const risk = values.risk ? await planRisk(ctx, project, graph, values) : undefined;
    if (format === 'mermaid') ctx.stdout.write(toMermaid(graph, rows));
    else if (format === 'json') ctx.stdout.write(JSON.stringify({ workflow: graph.id, params, steps: rows, ...(risk ? { risk } : {}) }, null, 2) + '\n');
    else {
      ctx.stdout.write(`${graph.kind} ${graph.id}${graph.timeoutMs ? ` (timeout ${graph.timeoutMs / 1000}s)` : ''} with ${JSON.stringify(params)}\n`);
      const width = Math.max(...rows.map((r) => r.step.length));
      for (const r of rows) ctx.stdout.write(`  ${String(r.layer).padStart(2)}. ${r.step.padEnd(width)}  ${r.decision.padEnd(11)}  ${r.kind.padEnd(8)} ${r.why}\n`);
      if (risk) ctx.stdout.write(riskText(risk));
    }
    return exitCodes.success;
  },
});

/** The risk a run of `graph` would start with: the store's history, and the plugin's change since `--base`. */
async function planRisk(ctx: CliContext, project: Project, graph: StepGraph, values: { base?: string; head?: string; plugin?: string; store?: string }): Promise<RiskAssessment | undefined> {
  const plugin = values.plugin === undefined ? undefined : resolve(ctx.cwd, values.plugin);
  const pluginId = plugin ? await manifestId(plugin, ctx.cwd) : undefined;
  const change = plugin && values.base !== undefined ? await changeFor(ctx, plugin, values.base, values.head) : undefined;
  const opened = await openProjectStore(ctx, project, values.store);
  try {
    const assessed = await assessBeforeRun({ store: opened.store, graph, config: project.config, now: Date.now(), ...(pluginId ? { pluginId } : {}), ...(change ? { change } : {}) });
    if (!assessed) ctx.stderr.write(`note: ${graph.id} is an action plan; only workflows get a delivery risk\n`);
    return assessed?.risk;
  } finally {
    await opened.close();
  }
}

/** The plugin's change since `base`; git's refusal (an unknown ref, a shallow clone) is the user's to fix. */
async function changeFor(ctx: CliContext, plugin: string, base: string, head = 'HEAD'): Promise<ChangeSummary> {
  for (const [flag, ref] of [['--base', base], ['--head', head]] as const) {
    const problem = refProblem(ref);
    if (problem) throw new CliError('E_USAGE', `${flag} ${problem}`);
  }
  return changeOf({ cwd: ctx.cwd, base, head, plugin, signal: ctx.signal });
}

interface ChangedArgs { format: Format; base?: string; head?: string; param?: string[]; config?: string; risk?: boolean; conflicts?: boolean; plugin?: string; store?: string }

/** The matrix depends on the two commits and the project file, not on a workflow: WORKFLOW is not needed. */
async function planChanged(args: ChangedArgs, ctx: CliContext, usage: string): Promise<number> {
  const { format, base, head = 'HEAD' } = args;
  if (base === undefined) throw new CliError('E_USAGE', `--changed needs --base REF, the commit to compare with (e.g. origin/main)\nusage: ${usage}`);
  if (format === 'mermaid') throw new CliError('E_USAGE', `--changed prints text, json or matrix, found "mermaid"`);
  if (args.param?.length) throw new CliError('E_USAGE', `--param does not apply to --changed`);
  if (args.plugin !== undefined) throw new CliError('E_USAGE', `--plugin does not apply to --changed: every changed plugin is listed`);
  if (format === 'matrix' && (args.risk || args.conflicts)) throw new CliError('E_USAGE', `--format matrix prints only the matrix; use text or json with --risk or --conflicts`);
  for (const [flag, ref] of [['--base', base], ['--head', head]] as const) {
    const problem = refProblem(ref);
    if (problem) throw new CliError('E_USAGE', `${flag} ${problem}`);
  }
  const project = await loadProject(ctx.cwd, args.config);
  const { plugins, matrix } = await changedMatrix(project, ctx.cwd, base, head, ctx.signal);
  if (format === 'matrix') {
    const { include } = matrix;
    ctx.stdout.write(`${JSON.stringify(matrix)}\n`);
    if (include.length > matrixLimit) ctx.stderr.write(`warning: ${include.length} plugins changed; a GitHub Actions matrix takes at most ${matrixLimit} jobs\n`);
    return exitCodes.success;
  }
  const changes = args.risk ? await changesOf(ctx, plugins, base, head) : undefined;
  const conflicts = args.conflicts && plugins.length > 0
    ? await localConflicts({ cwd: ctx.cwd, base, head, paths: plugins.map((p) => (p.path === '.' ? '' : p.path)), signal: ctx.signal })
    : undefined;
  if (format === 'json') {
    const listed = plugins.map((p, i) => (changes ? { ...p, change: changes[i] } : p));
    ctx.stdout.write(`${JSON.stringify({ base, head, plugins: listed, ...(conflicts ? { conflicts } : {}) }, null, 2)}\n`);
  } else {
    writeText(plugins, base, head, ctx);
    changes?.forEach((c, i) => ctx.stdout.write(`\n${plugins[i]!.path}\n${changeText(c).join('\n')}\n`));
    if (conflicts) ctx.stdout.write(`\n${conflictText(conflicts)}`);
  }
  return exitCodes.success;
}

/** Each changed plugin's change, one after the other (each measures its sources in one process). */
async function changesOf(ctx: CliContext, plugins: ChangedPlugin[], base: string, head: string): Promise<ChangeSummary[]> {
  if (plugins.length === 0) return [];
  const top = await runGit(['rev-parse', '--show-toplevel'], { cwd: ctx.cwd, signal: ctx.signal });
  const root = top.stdout.toString().trim();
  const out: ChangeSummary[] = [];
  for (const p of plugins) out.push(await changeFor(ctx, resolve(root, p.path), base, head));
  return out;
}

function writeText(plugins: ChangedPlugin[], base: string, head: string, ctx: CliContext): void {
  if (plugins.length === 0) { ctx.stdout.write(`no plugin changed between ${base} and ${head}\n`); return; }
  const rows = plugins.map((p) => ({ path: p.path, id: `${p.id}@${p.version}`, reason: p.reason }));
  const pathWidth = Math.max(...rows.map((r) => r.path.length));
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) ctx.stdout.write(`${r.path.padEnd(pathWidth)}  ${r.id.padEnd(idWidth)}  ${r.reason}\n`);
}
