// `pluginops plan WORKFLOW`: the dry run — what would run, in order and why.
// `pluginops plan --changed --base REF`: the plugins changed since REF, as text, JSON or a
// GitHub Actions matrix (`{"include":[…]}`) for one job per plugin.
import { registry } from '../../wiring/registry.ts';
import { dryRun, toMermaid } from '../../engine/dry-run.ts';
import { resolveParameters } from '../../engine/parameters.ts';
import { plan } from '../../engine/plan.ts';
import { refProblem, type ChangedPlugin } from '../../project/changed.ts';
import { changedMatrix, matrixLimit } from '../../project/changed-matrix.ts';
import { loadProject } from '../../project/load.ts';
import { findWorkflow } from '../../project/workflows.ts';
import type { CliContext } from '../context.ts';
import { defineCommand, keyValues } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

const formats = ['text', 'mermaid', 'json', 'matrix'] as const;
type Format = (typeof formats)[number];


export const planCommand = defineCommand({
  name: 'plan',
  summary: 'Show what a run would do, in order and why, without side effects; or which plugins changed',
  usage: 'pluginops plan WORKFLOW [--param key=value]... [--format text|mermaid|json] [--config FILE]\n'
    + '       pluginops plan --changed --base REF [--head REF] [--format text|json|matrix] [--config FILE]',
  options: {
    param: { type: 'string', short: 'p', multiple: true },
    format: { type: 'string', default: 'text' },
    config: { type: 'string', short: 'c' },
    changed: { type: 'boolean', default: false },
    base: { type: 'string' },
    head: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    const format = formats.find((f) => f === values.format);
    if (!format) throw new CliError('E_USAGE', `--format is one of ${formats.join(', ')}, found "${values.format}"`);
    if (values.changed) return planChanged({ ...values, format }, ctx, this.usage);
    for (const flag of ['base', 'head'] as const) {
      if (values[flag] !== undefined) throw new CliError('E_USAGE', `--${flag} goes with --changed\nusage: ${this.usage}`);
    }
    if (format === 'matrix') throw new CliError('E_USAGE', `--format matrix lists changed plugins: add --changed --base REF\nusage: ${this.usage}`);
    const name = positionals[0];
    if (!name) throw new CliError('E_USAGE', `plan takes one workflow\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const graph = plan((await findWorkflow(project, ctx.cwd, name, registry)).doc, registry.steps);
    const params = resolveParameters(graph.parameters, keyValues(values.param, '--param'));
    const rows = dryRun(graph, params);
    if (format === 'mermaid') ctx.stdout.write(toMermaid(graph, rows));
    else if (format === 'json') ctx.stdout.write(JSON.stringify({ workflow: graph.id, params, steps: rows }, null, 2) + '\n');
    else {
      ctx.stdout.write(`${graph.kind} ${graph.id}${graph.timeoutMs ? ` (timeout ${graph.timeoutMs / 1000}s)` : ''} with ${JSON.stringify(params)}\n`);
      const width = Math.max(...rows.map((r) => r.step.length));
      for (const r of rows) ctx.stdout.write(`  ${String(r.layer).padStart(2)}. ${r.step.padEnd(width)}  ${r.decision.padEnd(11)}  ${r.kind.padEnd(8)} ${r.why}\n`);
    }
    return exitCodes.success;
  },
});

interface ChangedArgs { format: Format; base?: string; head?: string; param?: string[]; config?: string }

/** The matrix depends on the two commits and the project file, not on a workflow: WORKFLOW is not needed. */
async function planChanged(args: ChangedArgs, ctx: CliContext, usage: string): Promise<number> {
  const { format, base, head = 'HEAD' } = args;
  if (base === undefined) throw new CliError('E_USAGE', `--changed needs --base REF, the commit to compare with (e.g. origin/main)\nusage: ${usage}`);
  if (format === 'mermaid') throw new CliError('E_USAGE', `--changed prints text, json or matrix, found "mermaid"`);
  if (args.param?.length) throw new CliError('E_USAGE', `--param does not apply to --changed`);
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
  } else if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ base, head, plugins }, null, 2)}\n`);
  } else {
    writeText(plugins, base, head, ctx);
  }
  return exitCodes.success;
}

function writeText(plugins: ChangedPlugin[], base: string, head: string, ctx: CliContext): void {
  if (plugins.length === 0) { ctx.stdout.write(`no plugin changed between ${base} and ${head}\n`); return; }
  const rows = plugins.map((p) => ({ path: p.path, id: `${p.id}@${p.version}`, reason: p.reason }));
  const pathWidth = Math.max(...rows.map((r) => r.path.length));
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) ctx.stdout.write(`${r.path.padEnd(pathWidth)}  ${r.id.padEnd(idWidth)}  ${r.reason}\n`);
}
