// Following an execution as server-sent events (`text/event-stream`):
//
//   event: status   data: {"status":"running","currentStep":"build"}   — first, then on each change
//   event: log      id: <index>   data: <log record>                    — every log record, in order
//   event: end      data: {"status":"success"}                          — once finished; then close
//
// The store is polled (every `pollMs`): records appended by this process or by another one on
// the same store both show up. `id:` is the record's index, so a client that reconnects with
// `Last-Event-ID: N` continues at N + 1 and loses nothing. Every payload is masked. A comment
// line every `heartbeatMs` keeps idle proxies from closing the stream.
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { maskDeep, type Mask } from '../engine/mask.ts';
import { finishedStatuses, type ExecutionRecord, type ExecutionStore } from '../store/types.ts';
import { commonHeaders } from './envelope.ts';

export const pollMs = 200;
export const heartbeatMs = 15_000;

export type StreamEvent =
  | { event: 'log'; id: number; data: unknown }
  | { event: 'status'; data: { status: ExecutionRecord['status']; currentStep?: string } }
  | { event: 'end'; data: { status: ExecutionRecord['status'] | 'deleted' } };

/** One event in the wire format; data is JSON on one line. */
export function formatEvent(e: StreamEvent, mask: Mask): string {
  const id = e.event === 'log' ? `id: ${e.id}\n` : '';
  return `event: ${e.event}\n${id}data: ${JSON.stringify(maskDeep(e.data, mask))}\n\n`;
}

/** Where to start: after `Last-Event-ID` when it is a record index, else at `from` (default 0). */
export function startIndex(lastEventId: string | undefined, from: number | undefined): number {
  if (lastEventId !== undefined && /^\d{1,9}$/.test(lastEventId.trim())) return Number(lastEventId.trim()) + 1;
  return from ?? 0;
}

export interface Follow {
  store: ExecutionStore;
  id: string;
  from: number;
  mask: Mask;
  signal: AbortSignal;
  /** Only this step's log records (the others are skipped, their indices counted). */
  step?: string;
}

/** Writes the stream until the execution finishes (or is deleted) or the client goes away. Headers set before (CORS) are kept. */
export async function followExecution(res: ServerResponse, o: Follow): Promise<void> {
  res.writeHead(200, {
    ...commonHeaders, 'cache-control': 'no-cache, no-store', 'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive', 'x-accel-buffering': 'no',
  });
  res.write('retry: 1000\n\n');
  const send = (e: StreamEvent) => { if (!o.signal.aborted) res.write(formatEvent(e, o.mask)); };
  const beat = setInterval(() => { if (!o.signal.aborted) res.write(': keep-alive\n\n'); }, heartbeatMs);
  let next = o.from;
  const drain = async () => {
    for (const record of await o.store.logs(o.id, next)) {
      const id = next++;
      if (o.step === undefined || record.step === o.step) send({ event: 'log', id, data: record });
    }
  };
  try {
    let last: string | undefined;
    while (!o.signal.aborted) {
      const record = await o.store.get(o.id);
      if (!record) { send({ event: 'end', data: { status: 'deleted' } }); break; }
      const status = `${record.status}/${record.currentStep ?? ''}`;
      if (status !== last) {
        last = status;
        send({ event: 'status', data: { status: record.status, ...(record.currentStep ? { currentStep: record.currentStep } : {}) } });
      }
      // Logs are flushed before the final status is written, so once the record read above is
      // finished, this drain holds every record of the run (notification lines written after
      // the end are in `GET …/logs`).
      await drain();
      if (finishedStatuses.includes(record.status)) { send({ event: 'end', data: { status: record.status } }); break; }
      await delay(pollMs, undefined, { signal: o.signal }).catch(() => undefined);
    }
  } finally {
    clearInterval(beat);
    if (!res.writableEnded) res.end();
  }
}
