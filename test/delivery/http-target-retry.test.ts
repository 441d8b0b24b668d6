// An HTTP release target's retries against a real receiver on a virtual clock: doubling waits
// from 1 s, a server's Retry-After (seconds or an HTTP date) in their place, `retries` extra
// attempts and no more, no retry on a 4xx.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../src/engine/clock.ts';
import { uploadArchive, UploadError } from '../../src/plugins/releases/http.ts';
import { drive, startReceiver, type Receiver } from '../notify/helpers.ts';

const t0 = Date.parse('2025-01-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'pluginops-http-target-'));
const archive = join(dir, 'p.tgz');
writeFileSync(archive, 'not really gzip');
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function upload(receiver: Receiver, clock: VirtualClock, retries?: number) {
  const logs: string[] = [];
  const work = uploadArchive({
    target: { type: 'http', url: `${receiver.url}/plugins/{plugin}/{version}`, ...(retries === undefined ? {} : { retries }) },
    archive, sha256: 'abc', plugin: 'p', version: '1.0.0', env: {}, fetch, clock,
    signal: new AbortController().signal, log: (m) => logs.push(m),
  });
  try {
    return { result: await drive(clock, work), logs, arrivals: receiver.requests.map((r) => r.at - t0) };
  } catch (e) {
    return { error: e as Error, logs, arrivals: receiver.requests.map((r) => r.at - t0) };
  } finally {
    await receiver.close();
  }
}

test('5xx answers are retried after 1 s, 2 s, 4 s: three retries by default', async () => {
  const clock = new VirtualClock(t0);
  const receiver = await startReceiver(clock, (_req, n) => (n < 3 ? { status: 500 } : { status: 201 }));

  const { result, arrivals, logs } = await upload(receiver, clock);

  assert.equal(result, { status: 201, attempts: 4, url: `${receiver.url}/plugins/p/1.0.0` });
  assert.equal(arrivals, [0, 1_000, 3_000, 7_000]);
  assert.equal(logs.map((l) => /retrying in (\d+)ms/.exec(l)?.[1]), ['1000', '2000', '4000']);
});

test('a Retry-After in seconds or as an HTTP date replaces the backoff', async () => {
  const clock = new VirtualClock(t0);
  const replies = [
    { status: 503, headers: { 'retry-after': '5' } },
    { status: 429, headers: { 'retry-after': new Date(t0 + 8_000).toUTCString() } },
    { status: 201 },
  ];
  const receiver = await startReceiver(clock, (_req, n) => replies[n] ?? { status: 201 });

  const { result, arrivals } = await upload(receiver, clock);

  assert.is(result?.attempts, 3);
  assert.equal(arrivals, [0, 5_000, 8_000]);
});

test('`retries: 1` makes two attempts, then fails with the last answer', async () => {
  const clock = new VirtualClock(t0);
  const receiver = await startReceiver(clock, () => ({ status: 502 }));

  const { error, arrivals, logs } = await upload(receiver, clock, 1);

  assert.instance(error, UploadError);
  assert.match(error?.message ?? '', /^upload failed: http:\/\/127\.0\.0\.1:\d+\/plugins\/p\/1\.0\.0 answered 502$/);
  assert.equal(arrivals, [0, 1_000]);
  assert.is(logs.length, 1);
});

test('a 4xx other than 429 is not retried, whatever its Retry-After', async () => {
  const clock = new VirtualClock(t0);
  const receiver = await startReceiver(clock, () => ({ status: 403, headers: { 'retry-after': '1' } }));

  const { error, arrivals, logs } = await upload(receiver, clock);

  assert.instance(error, UploadError);
  assert.equal(arrivals, [0]);
  assert.equal(logs, []);
});

test.run();
