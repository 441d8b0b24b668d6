// The dedup key: stable across runs and processes, independent of label order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dedupKey } from '../../src/monitor/alerts/key.ts';

test('the key is a fixed value for a fixed rule and label set, so it is stable across runs', () => {
  assert.is(dedupKey('plugin-down', { plugin: 'payments', env: 'prod' }), 'fee1875d501169b2b4b0cae310f79481');
});

test('label order does not matter', () => {
  assert.is(dedupKey('r', { a: '1', b: '2', c: '3' }), dedupKey('r', { c: '3', a: '1', b: '2' }));
});

const differing: Array<[string, [string, Record<string, string>], [string, Record<string, string>]]> = [
  ['rule id', ['r1', { a: '1' }], ['r2', { a: '1' }]],
  ['label value', ['r', { a: '1' }], ['r', { a: '2' }]],
  ['label name', ['r', { a: '1' }], ['r', { b: '1' }]],
  ['an extra label', ['r', { a: '1' }], ['r', { a: '1', b: '' }]],
  ['parts that concatenate alike', ['r', { a: '1,b=2' }], ['r', { a: '1', b: '2' }]],
];
for (const [what, [ra, la], [rb, lb]] of differing) {
  test(`a different ${what} gives a different key`, () => {
    assert.is.not(dedupKey(ra, la), dedupKey(rb, lb));
  });
}

test('the key is 32 lowercase hex characters', () => {
  assert.match(dedupKey('r', {}), /^[0-9a-f]{32}$/);
});

test.run();
