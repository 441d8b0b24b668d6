// The embedded store as an import target, written in its own file formats while no `serve` runs
// on it (the command checks). An execution arrives whole: its log goes to a temporary file, its
// record to another as one `snapshot` line (the form a finished execution is compacted to), and
// only when the log is complete are they moved into place, the log first, the record last and
// without replacing one that exists (a hard link fails when the name is taken). Temporary files
// live in `executions/` with a `.tmp` suffix, where `cleanup` removes those a crash left.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppendLog, replaceFile, syncDirectory } from '../../store/append-log.ts';
import { errorCode } from '../../store/errors.ts';
import { pathsOf, prepareLayout } from '../../store/layout.ts';
import { serialize } from '../../store/records.ts';
import type { ExecutionRecord, LogRecord } from '../../store/types.ts';
import { journalPath } from '../../tasks/journal.ts';
import type { Task, Worker } from '../../tasks/model.ts';
import type { StateName } from './store-archive.ts';
import { stateFiles } from './store-embedded-read.ts';
import type { ImportTarget } from './store-import.ts';
import { journalIds } from './store-journal.ts';

export interface EmbeddedTarget extends ImportTarget {
  /** Makes what was written durable (the journal synced, the folders' new names too). */
  close(): Promise<void>;
}

const exists = (path: string) => stat(path).then(() => true, (e: unknown) => { if (errorCode(e) === 'ENOENT') return false; throw e; });

export async function embeddedTarget(dir: string): Promise<EmbeddedTarget> {
  const layout = await prepareLayout(dir);
  const journalFile = journalPath(dir);
  const known = await journalIds(journalFile);
  let journal: AppendLog | undefined;
  let wroteExecutions = false;
  const append = async (line: string) => {
    journal ??= await AppendLog.open(journalFile, 'any');
    await journal.append([`${line}\n`]);
  };
  return {
    async execution(record: ExecutionRecord, logs: AsyncIterable<LogRecord[]>) {
      const paths = pathsOf(layout, record.id);
      if (await exists(paths.execution)) return false;
      const tmp = (what: string) => join(layout.executions, `${record.id}.${what}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      const logTemp = tmp('log');
      const recordTemp = tmp('record');
      let wroteLog = false;
      try {
        const handle = await open(logTemp, 'wx', 0o644);
        try {
          for await (const chunk of logs) {
            if (!chunk.length) continue;
            await handle.write(chunk.map(serialize).join(''));
            wroteLog = true;
          }
          await handle.sync();
        } finally {
          await handle.close();
        }
        await writeSynced(recordTemp, serialize({ type: 'snapshot', record }));
        // An old log under this id belongs to no execution (one removed meanwhile): it is replaced.
        if (wroteLog) await rename(logTemp, paths.logs);
        else await rm(paths.logs, { force: true });
        try {
          await link(recordTemp, paths.execution);
        } catch (err) {
          if (errorCode(err) === 'EEXIST') return false;
          throw err;
        }
        if (record.status === 'waiting') await writeFile(paths.waiting, '');
        wroteExecutions = true;
        return true;
      } finally {
        await rm(logTemp, { force: true });
        await rm(recordTemp, { force: true });
      }
    },
    async state(name: StateName, body: unknown) {
      const path = join(dir, stateFiles[name]);
      if (await exists(path)) return false;
      await mkdir(dirname(path), { recursive: true });
      await replaceFile(path, JSON.stringify(body));
      return true;
    },
    async task(task: Task, sealed: unknown) {
      if (known.tasks.has(task.id)) return false;
      await append(JSON.stringify(sealed === undefined ? { task } : { task, sealed }));
      known.tasks.add(task.id);
      return true;
    },
    async worker(worker: Worker) {
      if (known.workers.has(worker.id)) return false;
      await append(JSON.stringify({ worker }));
      known.workers.add(worker.id);
      return true;
    },
    async close() {
      if (journal) {
        try { await journal.sync(); } finally { await journal.close(); }
      }
      // New names in the folders, synced once rather than per execution.
      if (wroteExecutions) for (const folder of [layout.executions, layout.logs, layout.control]) await syncDirectory(folder);
    },
  };
}

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
