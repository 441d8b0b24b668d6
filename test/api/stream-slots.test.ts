// The live-stream slots: a total for the process and a share per caller, given back once each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiError } from '../../src/api/errors.ts';
import { createStreamSlots } from '../../src/api/stream-slots.ts';

const refused = (f: () => unknown): string => {
  try { f(); } catch (e) { assert.instance(e, ApiError); return (e as ApiError).message; }
  throw new Error('not refused');
};

test('one caller cannot take every slot; the others still get theirs', () => {
  const slots = createStreamSlots(5, 2);
  const a1 = slots.take('a'); slots.take('a');
  assert.match(refused(() => slots.take('a')), /for this caller \(2\)/);
  slots.take('b'); slots.take('c'); slots.take('c');
  assert.is(slots.open, 5);
  assert.match(refused(() => slots.take('d')), /too many live streams/);
  a1(); a1();
  assert.is(slots.open, 4, 'a slot given back twice counts once');
  slots.take('a');
  assert.is(slots.open, 5);
  assert.match(refused(() => slots.take('e')), /too many live streams are open; try again later/);
});

test.run();
