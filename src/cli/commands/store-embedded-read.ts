// The embedded store (`.pluginops/`) as an export source, read straight from its files and one
// execution at a time (the store's own `list` reads every record at once): executions by id, each
// log streamed line by line, the monitor's two state files, and the tasks and workers of
// `tasks.jsonl` as the journal keeps them (the last line of each id). Records are exported as
// they are stored; torn lines are skipped as the store skips them.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from '../../store/errors.ts';
import { isValidId } from '../../store/ids.ts';
import { layoutOf, pathsOf } from '../../store/layout.ts';
import { readExecutionFile } from '../../store/read.ts';
import { isLogRecord } from '../../store/records.ts';
import type { LogRecord } from '../../store/types.ts';
import { journalPath } from '../../tasks/journal.ts';
import type { StateName } from './store-archive.ts';
import { ArchiveError } from './store-errors.ts';
import type { ExportSource } from './store-export.ts';
import { journalEntries } from './store-journal.ts';
import { jsonLines } from './store-lines.ts';

/** Log records per archive line, and about as many bytes at most. */
export const logChunkRecords = 500;
export const logChunkBytes = 1024 * 1024;

/** Where the monitor keeps each state document on disk (monitor/runtime/state.ts). */
export const stateFiles: Record<StateName, string> = { monitor: join('monitor', 'state.json'), 'monitor.histories': join('monitor', 'histories.json') };

export async function embeddedSource(dir: string): Promise<ExportSource> {
  const there = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!there) throw new ArchiveError('E_STORE_SOURCE', `there is no embedded store at ${dir} (store.path, or --store DIR)`);
  const layout = layoutOf(dir);
  return {
    async *executions() {
      const names = await readdir(layout.executions).catch((e: unknown) => { if (errorCode(e) === 'ENOENT') return [] as string[]; throw e; });
      const ids = names.filter((n) => n.endsWith('.jsonl')).map((n) => n.slice(0, -'.jsonl'.length)).filter(isValidId).sort();
      for (const id of ids) {
        const record = await readExecutionFile(pathsOf(layout, id).execution);
        if (record) yield record;
      }
    },
    logs: (id) => chunks(jsonLines(pathsOf(layout, id).logs, isLogRecord)),
    async *states() {
      for (const [name, file] of Object.entries(stateFiles) as Array<[StateName, string]>) {
        const path = join(dir, file);
        const text = await readFile(path, 'utf8').catch((e: unknown) => { if (errorCode(e) === 'ENOENT') return undefined; throw e; });
        if (text === undefined) continue;
        let body: unknown;
        try { body = JSON.parse(text); } catch (e) {
          throw new ArchiveError('E_STORE_SOURCE', `${path} is not valid JSON (${(e as Error).message}); the monitor cannot read it either: move it away, or repair it, before exporting`);
        }
        yield { name, body };
      }
    },
    tasks: () => journalEntries(journalPath(dir), 'task'),
    workers: () => journalEntries(journalPath(dir), 'worker'),
  };
}

async function* chunks(lines: AsyncIterable<{ value: LogRecord; bytes: number }>): AsyncGenerator<LogRecord[]> {
  let chunk: LogRecord[] = [];
  let bytes = 0;
  for await (const { value, bytes: n } of lines) {
    chunk.push(value);
    bytes += n;
    if (chunk.length >= logChunkRecords || bytes >= logChunkBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
  }
  if (chunk.length) yield chunk;
}

