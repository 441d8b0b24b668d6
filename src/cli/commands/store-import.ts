// Reading an archive into a store, an item at a time. An execution and the log chunks that follow
// it are one unit: the target writes both or neither, and the unit is complete only once the
// line after its last chunk has been read (so a log cut short at the end of a truncated archive,
// or a bad line right after it, leaves nothing of that execution). What already exists in the
// target (by id, or by name for the monitor's state) is skipped and counted, so running an
// import again is harmless.
import { applyPatch, isActive } from '../../store/fold.ts';
import { interruptedSteps } from '../../store/owner.ts';
import type { ExecutionRecord, LogRecord } from '../../store/types.ts';
import type { Task, Worker } from '../../tasks/model.ts';
import { noCounts, type ArchiveCounts, type StateName } from './store-archive.ts';
import type { ArchiveReader } from './store-archive-read.ts';
import { ArchiveError } from './store-errors.ts';

/** A store as the importer writes it. Each call answers true when it wrote, false when the item was already there. */
export interface ImportTarget {
  /**
   * Writes the execution with its log, all or nothing: when `logs` throws (the archive ends or
   * a line is bad), nothing of the execution stays. Already there: answers false without reading `logs`.
   */
  execution(record: ExecutionRecord, logs: AsyncIterable<LogRecord[]>): Promise<boolean>;
  state(name: StateName, body: unknown): Promise<boolean>;
  task(task: Task, sealed: unknown): Promise<boolean>;
  worker(worker: Worker): Promise<boolean>;
}

export interface ImportSummary { imported: ArchiveCounts; skipped: ArchiveCounts }

export const noSummary = (): ImportSummary => ({ imported: noCounts(), skipped: noCounts() });

/** Why an execution that was pending or running in its source is interrupted once imported. */
export const movedMessage = 'it was pending or running in the store it was exported from; nothing runs it here';

/**
 * Imports what `reader` holds into `target`, counting into `summary` as it goes (so what was done
 * is known when it throws). Ends at the end line; throws ArchiveError on a bad or missing line.
 */
export async function importArchive(reader: ArchiveReader, target: ImportTarget, summary: ImportSummary, o: { now: () => Date; signal?: AbortSignal }): Promise<void> {
  for (;;) {
    if (o.signal?.aborted) throw new ArchiveError('E_TRANSFER_CANCELLED', 'import cancelled; what was imported so far stays (importing again skips it)');
    const { line, item } = await reader.next();
    switch (item.kind) {
      case 'end':
        await reader.assertNothingAfterEnd();
        return;
      case 'execution': {
        let lines = 0;
        const logs = logsOf(reader, item.record.id, (n) => { lines += n; });
        const written = await target.execution(settled(item.record, o.now()), logs);
        // Skipped: its chunks are read past (and checked) all the same.
        if (!written) for await (const _ of logs) { /* counted by logsOf */ }
        const to = written ? summary.imported : summary.skipped;
        to.executions++;
        to.logs += lines;
        break;
      }
      case 'log':
        throw new ArchiveError('E_ARCHIVE_LINE', `${reader.file} line ${line}: log lines of execution ${item.execution} that do not follow its execution line`, { file: reader.file, line });
      case 'state':
        count(summary, 'states', await target.state(item.name, item.body));
        break;
      case 'task':
        count(summary, 'tasks', await target.task(item.task, item.sealed));
        break;
      case 'worker':
        count(summary, 'workers', await target.worker(item.worker));
        break;
    }
  }
}

function count(summary: ImportSummary, kind: keyof ArchiveCounts, written: boolean): void {
  (written ? summary.imported : summary.skipped)[kind]++;
}

/** The log chunks of `execution` that follow it; done once the next line is anything else. */
async function* logsOf(reader: ArchiveReader, execution: string, tally: (records: number) => void): AsyncGenerator<LogRecord[]> {
  for (;;) {
    const { item } = await reader.peek();
    if (item.kind !== 'log' || item.execution !== execution) return;
    await reader.next();
    tally(item.records.length);
    yield item.records;
  }
}

/**
 * The record as the target keeps it. A run still pending or running when it was exported belongs
 * to a process of the source store that will never take it up here: it is imported interrupted,
 * as recovery marks a run whose process is gone, its running steps with it.
 */
export function settled(record: ExecutionRecord, now: Date): ExecutionRecord {
  if (!isActive(record.status)) return record;
  const r = structuredClone(record);
  for (const step of interruptedSteps(r)) applyPatch(r, { type: 'step', step });
  applyPatch(r, { type: 'status', status: 'interrupted', at: now.toISOString(), error: movedMessage });
  return r;
}
