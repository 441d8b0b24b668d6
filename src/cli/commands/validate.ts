// `pluginops validate [PATH]...`: every problem in every document, with file:line:col; for the
// whole project, also what documents name in each other (an Optimization's runbooks, their
// parameters, health checks), as `serve` checks when it loads.
import { registry } from '../../wiring/registry.ts';
import { resolve } from 'node:path';
import { formatDiagnostic, InvalidDocumentsError, type Diagnostic } from '../../documents/diagnostics.ts';
import type { DocumentSet } from '../../documents/document-set.ts';
import { optimizationConfig } from '../../optimize/config.ts';
import { planInfos } from '../../serve/config.ts';
import { allDocuments, loadDocuments } from '../../documents/load.ts';
import { loadProject } from '../../project/load.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'Check documents against their schemas and rules (default: the project\'s documents)',
  usage: 'pluginops validate [PATH]... [--format text|json] [--config FILE]',
  options: {
    format: { type: 'string', default: 'text' },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }, ctx) {
    if (values.format !== 'text' && values.format !== 'json') throw new CliError('E_USAGE', `--format is text or json, found "${values.format}"`);
    // Named paths are checked without reading the project file, unless --config names one (for its `limits:`).
    const project = positionals.length && values.config === undefined ? undefined : await loadProject(ctx.cwd, values.config);
    const paths = positionals.length ? positionals.map((p) => resolve(ctx.cwd, p)) : project?.documentPaths ?? [];
    if (paths.length === 0) throw new CliError('E_USAGE', 'nothing to validate: name files or directories, or add a pipelines/ directory');
    const { set, diagnostics, warnings } = await loadDocuments(paths, ctx.cwd, { limits: project?.documentLimits, signal: ctx.signal, registry });
    // The whole project: what documents name in each other (an Optimization's runbooks and health
    // checks) is checked too, as `serve` will. Named files alone may refer to documents not named.
    if (positionals.length === 0 && diagnostics.length === 0 && set.Optimization.size > 0) diagnostics.push(...(await references(set, ctx.cwd)));
    if (ctx.signal.aborted) throw new CliError('E_INTERRUPTED', `stopped by ${String(ctx.signal.reason)} before every file was checked`, 'cancelled');
    const count = allDocuments(set).length;
    if (count === 0 && diagnostics.length === 0) {
      const where = positionals.length ? positionals.join(', ') : 'the project\'s document paths';
      throw new CliError('E_NO_DOCUMENTS', `no documents found in ${where}: validate reads .yml and .yaml files that hold pluginops documents (apiVersion: pluginops/v1)`);
    }
    if (values.format === 'json') {
      ctx.stdout.write(JSON.stringify({ valid: diagnostics.length === 0, documents: count, diagnostics, warnings }, null, 2) + '\n');
    } else {
      for (const d of [...diagnostics, ...warnings]) ctx.stderr.write(`${formatDiagnostic(d)}\n`);
      ctx.stdout.write(summary(count, diagnostics, warnings));
    }
    return diagnostics.length ? exitCodes.failed : exitCodes.success;
  },
});

async function references(set: DocumentSet, cwd: string): Promise<Diagnostic[]> {
  try {
    optimizationConfig(set, { plans: await planInfos(set, cwd), checks: new Set(set.HealthCheck.keys()) });
    return [];
  } catch (e) {
    if (e instanceof InvalidDocumentsError) return e.diagnostics;
    throw e;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const summary = (count: number, ds: Diagnostic[], ws: Diagnostic[]) => (ds.length === 0
  ? `${plural(count, 'document')} valid`
  : `${plural(ds.length, 'problem')} in ${new Set(ds.map((d) => d.file)).size} file(s)`) + (ws.length ? `, ${plural(ws.length, 'warning')}` : '') + '\n';
