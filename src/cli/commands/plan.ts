// `pluginops plan WORKFLOW`: the dry run — what would run, in which order, and why.
import { dryRun, toMermaid } from '../../engine/dry-run.ts';
import { resolveParameters } from '../../engine/parameters.ts';
import { plan } from '../../engine/plan.ts';
import { loadProject } from '../../project/load.ts';
import { findWorkflow } from '../../project/workflows.ts';
import { defineCommand, keyValues } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

const formats = ['text', 'mermaid', 'json'] as const;

export const planCommand = defineCommand({
  name: 'plan',
  summary: 'Show what a run would do, in order and why, without side effects',
  usage: 'pluginops plan WORKFLOW [--param key=value]... [--format text|mermaid|json] [--config FILE]',
  options: {
    param: { type: 'string', short: 'p', multiple: true },
    format: { type: 'string', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }, ctx) {
    const format = formats.find((f) => f === values.format);
    if (!format) throw new CliError('E_USAGE', `--format is one of ${formats.join(', ')}, found "${values.format}"`);
    const name = positionals[0];
    if (!name) throw new CliError('E_USAGE', `plan takes one workflow\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const graph = plan((await findWorkflow(project, ctx.cwd, name)).doc);
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
