// Shared fixtures for the notification tests: a real HTTP receiver on 127.0.0.1 that records
// every request (with the virtual time it arrived at), a driver that moves a VirtualClock only
// while delivery waits on it, records of finished executions, and deps that collect log lines.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../src/engine/clock.ts';
import type { NotifyDeps } from '../../src/notify/deliver.ts';
import { createRateLimiter } from '../../src/notify/limiter.ts';
import type { ExecutionRecord, LogLevel } from '../../src/store/types.ts';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The receiver's clock when the request arrived. */
  at: number;
}

/** What to answer: a status (with headers and body), or 'hang' to never answer. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface Receiver {
  url: string;
  requests: Received[];
  /** Chooses the answer to the n-th request (0-based) for a path. */
  reply: (req: Received, n: number) => Reply;
  close(): Promise<void>;
}

export async function startReceiver(clock: { now(): number }, reply: Receiver['reply'] = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  const perPath = new Map<string, number>();
  const receiver: Receiver = { url: '', requests: [], reply, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => {
      const seen: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: clock.now() };
      receiver.requests.push(seen);
      const n = perPath.get(seen.path) ?? 0;
      perPath.set(seen.path, n + 1);
      const r = receiver.reply(seen, n);
      if (r === 'hang') { hanging.push(res); return; }
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return receiver;
}

/** Awaits `work`, moving `clock` through its timers whenever something waits on it (real I/O runs in between). */
export async function drive<T>(clock: VirtualClock, work: Promise<T>): Promise<T> {
  let done = false;
  work.then(() => { done = true; }, () => { done = true; });
  while (!done) {
    if (clock.pending > 0) await clock.runAll();
    else await new Promise((r) => setTimeout(r, 2));
  }
  return work;
}

export interface TestDeps extends NotifyDeps {
  clock: VirtualClock;
  logs: Array<{ level: LogLevel; message: string }>;
}

/** Deps on a fresh virtual clock with its own rate limiter; `policy` overrides the delivery policy. */
export function testDeps(env: Record<string, string> = {}, policy: NotifyDeps['policy'] = {}): TestDeps {
  const clock = new VirtualClock(Date.parse('2025-01-01T00:00:00Z'));
  const logs: TestDeps['logs'] = [];
  return {
    fetch: globalThis.fetch, clock, env, policy, limiter: createRateLimiter(clock), logs,
    log: (message, level = 'info') => { logs.push({ level, message }); },
  };
}

export const parse = (r: Received | undefined): Record<string, unknown> => JSON.parse(r?.body ?? 'null') as Record<string, unknown>;

/** A finished execution of `deploy` (plugin acme): lint ok, build failed, publish skipped. */
export function failedRecord(over: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id: 'm5x1-abcd1234', workflow: 'deploy', plugin: 'acme', parameters: {}, status: 'failed',
    createdAt: '2025-01-01T00:00:00.000Z', startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:00:12.300Z', durationMs: 12_300,
    steps: {
      lint: { id: 'lint', status: 'success', attempts: 1, durationMs: 1_200, outputs: {} },
      build: { id: 'build', status: 'failed', attempts: 2, durationMs: 9_000, outputs: {}, error: 'exit code 2' },
      publish: { id: 'publish', status: 'skipped', attempts: 0, outputs: {} },
    },
    artifacts: [],
    ...over,
  };
}

export function successRecord(over: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return failedRecord({
    status: 'success',
    steps: {
      lint: { id: 'lint', status: 'success', attempts: 1, durationMs: 1_200, outputs: {} },
      build: { id: 'build', status: 'success', attempts: 1, durationMs: 9_000, outputs: {} },
    },
    ...over,
  });
}
