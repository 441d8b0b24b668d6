// The one retry policy, table-driven: growth by factor, the cap, jitter bounds with an injected
// random source, the attempts limit, and a server's wait (Retry-After) with its own limit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelay, nextRetry, type RetryDecision, type RetryPolicy } from '../../src/retry/policy.ts';
import { parseRetryAfter } from '../../src/retry/retry-after.ts';

const never = () => { throw new Error('random was drawn without jitter'); };

test('backoffDelay: factor, cap and jitter', () => {
  const rows: Array<[string, RetryPolicy, number, () => number, number]> = [
    ['no factor is a fixed delay', { attempts: 9, delayMs: 2_000 }, 5, never, 2_000],
    ['factor 1 is a fixed delay', { attempts: 9, delayMs: 2_000, factor: 1 }, 5, never, 2_000],
    ['factor 2, first wait', { attempts: 9, delayMs: 1_000, factor: 2 }, 1, never, 1_000],
    ['factor 2 doubles', { attempts: 9, delayMs: 1_000, factor: 2 }, 4, never, 8_000],
    ['factor 3 triples', { attempts: 9, delayMs: 100, factor: 3 }, 3, never, 900],
    ['the cap holds a grown wait', { attempts: 9, delayMs: 1_000, factor: 2, maxDelayMs: 5_000 }, 4, never, 5_000],
    ['the cap leaves a shorter wait', { attempts: 9, delayMs: 1_000, factor: 2, maxDelayMs: 5_000 }, 3, never, 4_000],
    ['no cap: grows without bound', { attempts: 99, delayMs: 1_000, factor: 2 }, 21, never, 1_048_576_000],
    ['jitter 0 draws nothing', { attempts: 9, delayMs: 1_000, jitter: 0 }, 1, never, 1_000],
    ['jitter with random 0 keeps the wait', { attempts: 9, delayMs: 1_000, jitter: 0.5 }, 1, () => 0, 1_000],
    ['jitter 0.5 with random 0.5 takes off a quarter', { attempts: 9, delayMs: 1_000, jitter: 0.5 }, 1, () => 0.5, 750],
    ['jitter 1 with random 1 gives 0', { attempts: 9, delayMs: 1_000, jitter: 1 }, 1, () => 1, 0],
    ['jitter applies after the cap', { attempts: 9, delayMs: 1_000, factor: 2, maxDelayMs: 3_000, jitter: 0.2 }, 5, () => 0.5, 2_700],
    ['rounded to whole milliseconds', { attempts: 9, delayMs: 1_001, jitter: 0.5 }, 1, () => 0.5, 751],
  ];
  for (const [name, policy, attempt, random, expected] of rows) assert.is(backoffDelay(policy, attempt, random), expected, name);
});

test('backoffDelay: jitter stays within [delay × (1 - jitter), delay] for any draw', () => {
  const policy: RetryPolicy = { attempts: 9, delayMs: 10_000, factor: 2, maxDelayMs: 60_000, jitter: 0.25 };
  for (let attempt = 1; attempt <= 6; attempt++) {
    const full = backoffDelay({ ...policy, jitter: 0 }, attempt);
    for (const r of [0, 0.1, 0.37, 0.5, 0.99, 0.999999]) {
      const d = backoffDelay(policy, attempt, () => r);
      assert.ok(d <= full && d >= Math.floor(full * 0.75), `attempt ${attempt}, random ${r}: ${d} not in [${full * 0.75}, ${full}]`);
    }
  }
});

test('nextRetry: attempts, server waits and their limit', () => {
  const doubling: RetryPolicy = { attempts: 4, delayMs: 1_000, factor: 2, maxDelayMs: 3_000, maxServerDelayMs: 60_000 };
  const rows: Array<[string, RetryPolicy, number, Parameters<typeof nextRetry>[2], RetryDecision]> = [
    ['first failure waits delayMs', doubling, 1, {}, { retry: true, delayMs: 1_000 }],
    ['the cap applies to computed waits', doubling, 3, {}, { retry: true, delayMs: 3_000 }],
    ['the last attempt is never retried', doubling, 4, {}, { retry: false, reason: 'attempts', attempts: 4 }],
    ['nor one past it', doubling, 5, {}, { retry: false, reason: 'attempts', attempts: 5 }],
    ['attempts 1: no retry at all', { attempts: 1, delayMs: 1_000 }, 1, {}, { retry: false, reason: 'attempts', attempts: 1 }],
    ['attempts run out before a server wait is looked at', doubling, 4, { serverDelayMs: 999_999 }, { retry: false, reason: 'attempts', attempts: 4 }],
    ['a server wait replaces the backoff', doubling, 1, { serverDelayMs: 7_000 }, { retry: true, delayMs: 7_000 }],
    ['a server wait is not capped by maxDelayMs', doubling, 3, { serverDelayMs: 30_000 }, { retry: true, delayMs: 30_000 }],
    ['a server wait of 0 retries at once', doubling, 2, { serverDelayMs: 0 }, { retry: true, delayMs: 0 }],
    ['a server wait at the limit is honoured', doubling, 1, { serverDelayMs: 60_000 }, { retry: true, delayMs: 60_000 }],
    ['a server wait past the limit gives up', doubling, 1, { serverDelayMs: 60_001 }, { retry: false, reason: 'server-delay', askedMs: 60_001, maxMs: 60_000 }],
    ['no server limit: any wait is honoured', { attempts: 4, delayMs: 1_000 }, 1, { serverDelayMs: 3_600_000 }, { retry: true, delayMs: 3_600_000 }],
    ['a server wait gets no jitter', { ...doubling, jitter: 1 }, 1, { serverDelayMs: 5_000, random: () => 1 }, { retry: true, delayMs: 5_000 }],
    ['the computed wait gets the injected jitter', { ...doubling, jitter: 0.5 }, 2, { random: () => 0.5 }, { retry: true, delayMs: 1_500 }],
    ['unlimited attempts keep retrying', { attempts: Number.POSITIVE_INFINITY, delayMs: 60_000, factor: 2, maxDelayMs: 1_800_000 }, 1_000, {}, { retry: true, delayMs: 1_800_000 }],
  ];
  for (const [name, policy, attempt, hints, expected] of rows) assert.equal(nextRetry(policy, attempt, hints), expected, name);
});

test('parseRetryAfter: delay-seconds or an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const rows: Array<[string, number | undefined]> = [
    ['30', 30_000],
    [' 5 ', 5_000],
    ['0', 0],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5_000],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of rows) assert.is(parseRetryAfter(value, now), expected, JSON.stringify(value));
});

test.run();
