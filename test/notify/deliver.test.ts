// Retries and failures of one delivery against a real receiver, with waits on a virtual clock:
// 500s then success, 429 with Retry-After, no retry on 400, an endpoint that never answers, a
// closed port. Delivery never throws; the result says what happened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChannelDoc } from '../../src/documents/schema/project.ts';
import { deliver, defaultDeliveryPolicy } from '../../src/notify/deliver.ts';
import { parseRetryAfter } from '../../src/retry/retry-after.ts';
import { executionNotification } from '../../src/notify/message.ts';
import { drive, failedRecord, startReceiver, testDeps, type Reply } from './helpers.ts';

const n = executionNotification(failedRecord());
const webhook = (url: string): ChannelDoc => ({ type: 'webhook', url });

/** Delivers to a receiver answering with `replies` in turn; returns the result and the virtual times of the requests. */
async function deliverWith(replies: Reply[], policy = {}) {
  const deps = testDeps({}, policy);
  const receiver = await startReceiver(deps.clock, (_req, i) => replies[Math.min(i, replies.length - 1)]!);
  const start = deps.clock.now();
  const result = await drive(deps.clock, deliver('ops', webhook(receiver.url), n, deps));
  await receiver.close();
  return { result, times: receiver.requests.map((r) => r.at - start), logs: deps.logs };
}

test('the default policy: 5 attempts, 1s doubling, 10s per attempt', () => {
  assert.equal(defaultDeliveryPolicy, { attempts: 5, delayMs: 1_000, factor: 2, maxDelayMs: 30_000, timeoutMs: 10_000, maxServerDelayMs: 60_000 });
});

test('500, 502, then 200: delivered on the third attempt after waiting 1s and 2s', async () => {
  const { result, times, logs } = await deliverWith([{ status: 500, body: 'boom' }, { status: 502 }, { status: 200 }]);

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: true, attempts: 3, status: 200 });
  assert.equal(times, [0, 1_000, 3_000]);
  assert.equal(logs, [
    { level: 'warn', message: 'ops (webhook): attempt 1 failed: HTTP 500: boom; retrying in 1.00s' },
    { level: 'warn', message: 'ops (webhook): attempt 2 failed: HTTP 502; retrying in 2.00s' },
    { level: 'info', message: 'notified ops (webhook) after 3 attempts' },
  ]);
});

test('always 503: five attempts 1s, 2s, 4s, 8s apart, then a failed result', async () => {
  const { result, times } = await deliverWith([{ status: 503 }]);

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: false, attempts: 5, status: 503, error: 'HTTP 503 (gave up after 5 attempts)' });
  assert.equal(times, [0, 1_000, 3_000, 7_000, 15_000]);
});

test('429 with Retry-After: 7 waits 7s, not the backoff', async () => {
  const { result, times } = await deliverWith([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }]);

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: true, attempts: 2, status: 200 });
  assert.equal(times, [0, 7_000]);
});

test('429 without Retry-After backs off like a 5xx', async () => {
  const { times } = await deliverWith([{ status: 429 }, { status: 429 }, { status: 200 }]);
  assert.equal(times, [0, 1_000, 3_000]);
});

test('429 asking for longer than delivery waits: given up at once', async () => {
  const { result, times } = await deliverWith([{ status: 429, headers: { 'retry-after': '3600' }, body: 'rate_limited' }]);

  assert.equal(result, {
    channel: 'ops', kind: 'webhook', ok: false, attempts: 1, status: 429,
    error: 'HTTP 429: rate_limited; Retry-After asks for 1h, more than the 1m delivery waits',
  });
  assert.equal(times, [0]);
});

test('400 is not retried', async () => {
  const { result, times, logs } = await deliverWith([{ status: 400, body: 'invalid_payload' }, { status: 200 }]);

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: false, attempts: 1, status: 400, error: 'HTTP 400: invalid_payload' });
  assert.equal(times, [0]);
  assert.equal(logs, [{ level: 'warn', message: 'could not notify ops (webhook): HTTP 400: invalid_payload' }]);
});

test('a receiver that never answers: each attempt times out, the result is a failure, nothing throws', async () => {
  const { result, times } = await deliverWith(['hang'], { timeoutMs: 100, attempts: 2 });

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: false, attempts: 2, error: 'no answer within 100ms (gave up after 2 attempts)' });
  assert.equal(times, [0, 1_000]);
});

test('a closed port: network errors retried, then a failure naming the cause', async () => {
  const deps = testDeps({}, { attempts: 3 });
  const receiver = await startReceiver(deps.clock);
  await receiver.close();

  const result = await drive(deps.clock, deliver('ops', webhook(receiver.url), n, deps));

  assert.is(result.ok, false);
  assert.is(result.attempts, 3);
  assert.match(result.error ?? '', /ECONNREFUSED.*\(gave up after 3 attempts\)$/);
  assert.is(deps.clock.now() - Date.parse('2025-01-01T00:00:00Z'), 3_000);
});

test('aborting the caller\'s signal before a retry ends delivery with a failure, not a throw', async () => {
  const deps = testDeps();
  const receiver = await startReceiver(deps.clock, () => ({ status: 500 }));
  const abort = new AbortController();
  deps.signal = abort.signal;
  const log = deps.log;
  deps.log = (message, level) => { log(message, level); if (message.includes('retrying in')) abort.abort('cancelled'); };

  const result = await drive(deps.clock, deliver('ops', webhook(receiver.url), n, deps));
  await receiver.close();

  assert.equal(result, { channel: 'ops', kind: 'webhook', ok: false, attempts: 1, status: 500, error: 'cancelled before it was delivered' });
  assert.is(receiver.requests.length, 1);
});

test('Retry-After as seconds or an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.is(parseRetryAfter('30', now), 30_000);
  assert.is(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now), 5_000);
  assert.is(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
  assert.is(parseRetryAfter('soon', now), undefined);
});

test.run();
