// A duration that cannot be read is a coded error (E_DURATION, invalid) with the same message
// wherever it is met: the Action reports it with its code, the API answers it 422.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { failureOf } from '../../src/action/failure.ts';
import { fromThrown } from '../../src/api/errors.ts';
import { DurationError, durationMs, parseDuration } from '../../src/documents/duration.ts';
import { PluginopsError } from '../../src/errors/base.ts';

const cases = [
  { text: '5x', message: '"5x" is not a duration such as 500ms, 30s, 5m, 1h30m' },
  { text: '', message: '"" is not a duration such as 500ms, 30s, 5m, 1h30m' },
  { text: '1h 30m', message: '"1h 30m" is not a duration such as 500ms, 30s, 5m, 1h30m' },
  { text: '999999999999999999999d', message: '"999999999999999999999d" is too long a duration to count in milliseconds' },
];

for (const c of cases) {
  test(`parseDuration(${JSON.stringify(c.text)}) is a DurationError`, () => {
    const e = (() => { try { parseDuration(c.text); return undefined; } catch (x) { return x; } })();

    assert.ok(e instanceof DurationError && e instanceof PluginopsError, String(e));
    assert.is(e.message, c.message);
    assert.is(e.code, 'E_DURATION');
    assert.is(e.kind, 'invalid');
    assert.is(fromThrown(e)?.status, 422);
    assert.is(failureOf(e).message, `E_DURATION: ${c.message}`);
    assert.is(durationMs(c.text), undefined);
  });
}

test('a duration that reads is its milliseconds', () => {
  assert.is(parseDuration('1h30m'), 5_400_000);
  assert.is(parseDuration('500ms'), 500);
});

test.run();
