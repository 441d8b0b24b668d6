// retryVerdict, table-driven: which failures are tried again, for reads and for creations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultRetryPolicy, retryVerdict, type Failure } from '../../src/action/github/retry.ts';

const now = 1_000_000_000_000;
const http = (status: number, headers: Record<string, string> = {}, message = ''): Failure => ({ kind: 'http', status, headers, message });
const network = (connect: boolean): Failure => ({ kind: 'network', connect, detail: '' });

const cases: Array<[string, Failure, { read: number | false; create: number | false }]> = [
  ['500', http(500), { read: 1000, create: false }],
  ['502', http(502), { read: 1000, create: false }],
  ['refused at connect', network(true), { read: 1000, create: 1000 }],
  ['dropped after sending', network(false), { read: 1000, create: false }],
  ['403 retry-after', http(403, { 'retry-after': '5' }), { read: 5000, create: 5000 }],
  ['403 primary limit spent', http(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 20) }), { read: 20_000, create: 20_000 }],
  ['403 secondary limit, no headers', http(403, {}, 'You have exceeded a secondary rate limit'), { read: 60_000, create: 60_000 }],
  ['429 retry-after too long', http(429, { 'retry-after': '600' }), { read: false, create: false }],
  ['403 permission', http(403, {}, 'Resource not accessible by integration'), { read: false, create: false }],
  ['404', http(404), { read: false, create: false }],
  ['422', http(422), { read: false, create: false }],
];

for (const [name, failure, expected] of cases) {
  test(name, () => {
    const verdict = (idempotent: boolean) => {
      const v = retryVerdict(failure, { attempt: 1, idempotent, now, policy: defaultRetryPolicy });
      return v.retry ? v.delayMs : false;
    };
    assert.equal({ read: verdict(true), create: verdict(false) }, expected);
  });
}

test('the last attempt is never retried; backoff doubles up to the cap', () => {
  const policy = { ...defaultRetryPolicy, attempts: 6, delayMs: 1000, maxDelayMs: 5000 };
  const delays = [1, 2, 3, 4, 5, 6].map((attempt) => {
    const v = retryVerdict(http(500), { attempt, idempotent: true, now, policy });
    return v.retry ? v.delayMs : false;
  });
  assert.equal(delays, [1000, 2000, 4000, 5000, 5000, false]);
});

test.run();
