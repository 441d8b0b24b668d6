// `pluginops store export|import`: the whole store (executions with their logs, the monitor's
// state, tasks and workers) as one JSON-lines archive, to move a project between the embedded
// store and PostgreSQL or to keep a copy of either. The archive's format is store-archive.ts;
// reading and writing each kind of store is store-embedded-*.ts and src/pg/transfer*.ts.
import { resolve } from 'node:path';
import { loadProject } from '../../project/load.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import type { Output } from '../../render/renderer.ts';
import { PluginopsError } from '../../errors/base.ts';
import type { ArchiveCounts } from './store-archive.ts';
import { ArchiveReader } from './store-archive-read.ts';
import { openSource, openTarget, storeEnd } from './store-ends.ts';
import { exportArchive, fileSink, outputSink } from './store-export.ts';
import { importArchive, noSummary, type ImportSummary } from './store-import.ts';

const common = { config: { type: 'string', short: 'c' }, store: { type: 'string' }, json: { type: 'boolean' } } as const;

export const storeExportCommand = defineCommand({
  name: 'store export',
  summary: 'Write the store (executions, logs, monitor state, tasks, workers) to one JSON-lines archive',
  usage: 'pluginops store export [--from embedded|postgres] [--out FILE|-] [--json] [--config FILE] [--store DIR]',
  options: { ...common, from: { type: 'string' }, out: { type: 'string', short: 'o' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `store export takes no arguments\nusage: ${this.usage}`);
    const project = await loadProject(ctx.cwd, values.config);
    const end = storeEnd(ctx, project, values, values.from, '--from');
    const out = values.out ?? '-';
    const source = await openSource(end);
    let counts: ArchiveCounts;
    try {
      const sink = out === '-' ? outputSink(ctx.stdout) : await fileSink(resolve(ctx.cwd, out));
      try {
        counts = await exportArchive(source.it, sink, { from: end.kind, now: () => new Date(), signal: ctx.signal });
        await sink.finish();
      } catch (err) {
        await sink.abandon().catch(() => undefined);
        throw err;
      }
    } finally {
      await source.close();
    }
    // The archive may be on stdout: then the summary goes to stderr.
    const report = out === '-' ? ctx.stderr : ctx.stdout;
    if (values.json) report.write(`${JSON.stringify({ from: end.kind, store: source.where, out, counts }, null, 2)}\n`);
    else report.write(`exported ${describe(counts)} from the ${end.kind} store (${source.where}) to ${out === '-' ? 'stdout' : out}\n`);
    return exitCodes.success;
  },
});

export const storeImportCommand = defineCommand({
  name: 'store import',
  summary: 'Read a store archive into the store; what already exists is skipped (safe to run again)',
  usage: 'pluginops store import FILE [--into embedded|postgres] [--json] [--config FILE] [--store DIR]',
  options: { ...common, into: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new CliError('E_USAGE', `store import takes one archive file\nusage: ${this.usage}`);
    const file = positionals[0]!;
    const project = await loadProject(ctx.cwd, values.config);
    const end = storeEnd(ctx, project, values, values.into, '--into');
    // The header is checked before the target is opened (or a database migrated) for it.
    const reader = await ArchiveReader.open(resolve(ctx.cwd, file), file);
    const summary = noSummary();
    let failure: unknown;
    let where = end.kind === 'embedded' ? end.dir : '';
    try {
      const target = await openTarget(end);
      where = target.where;
      try {
        await importArchive(reader, target.it, summary, { now: () => new Date(), signal: ctx.signal });
      } finally {
        await target.close();
      }
    } catch (err) {
      failure = err;
    } finally {
      reader.close();
    }
    const about = { file, from: reader.header.from, exportedAt: reader.header.exportedAt, into: end.kind, store: where };
    if (values.json) {
      const error = failure instanceof PluginopsError ? { code: failure.code, message: failure.message } : failure === undefined ? undefined : { message: String(failure) };
      ctx.stdout.write(`${JSON.stringify({ ...about, complete: failure === undefined, ...summary, ...(error ? { error } : {}) }, null, 2)}\n`);
    } else if (failure === undefined || touched(summary)) {
      report(ctx.stdout, summary, `${failure === undefined ? 'imported' : 'before the error, imported'} ${file} (exported ${about.exportedAt} from ${about.from}) into the ${end.kind} store (${where})`);
    }
    if (failure !== undefined) throw failure;
    return exitCodes.success;
  },
});

const kinds: Array<[keyof ArchiveCounts, string]> = [['executions', 'executions'], ['logs', 'log lines'], ['states', 'states'], ['tasks', 'tasks'], ['workers', 'workers']];

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function describe(c: ArchiveCounts): string {
  return `${plural(c.executions, 'execution', 'executions')} (${plural(c.logs, 'log line', 'log lines')}), ${plural(c.states, 'state document', 'state documents')}, ${plural(c.tasks, 'task', 'tasks')} and ${plural(c.workers, 'worker', 'workers')}`;
}

const touched = (s: ImportSummary) => kinds.some(([k]) => s.imported[k] + s.skipped[k] > 0);

function report(out: Output, s: ImportSummary, title: string): void {
  const lines = kinds.map(([k, label]) => `  ${label.padEnd(11)} ${s.imported[k]} imported${s.skipped[k] ? `, ${s.skipped[k]} skipped (already there)` : ''}`);
  out.write(`${title}:\n${lines.join('\n')}\n`);
}
