import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cronProblem } from '../../src/documents/rules/cron-syntax.ts';

const valid = ['*/5 * * * *', '0 2 * * sun', '0 0 1 jan,jul *', '30 9-17 * * mon-fri', '0 */2 1-15/3 * *', '15 30 4 * * ?', '@daily', '0 0 * * 7'];
const invalid: Array<[string, RegExp]> = [
  ['61 * * * *', /minute value 61 is out of range 0-59/],
  ['* 24 * * *', /hour value 24 is out of range 0-23/],
  ['* * 0 * *', /day of month value 0 is out of range 1-31/],
  ['* * * 13 *', /month value 13 is out of range 1-12/],
  ['* * * * 8', /day of week value 8 is out of range 0-7/],
  ['*/0 * * * *', /bad step/],
  ['* * * *', /4 fields, expected 5/],
  ['every day', /2 fields/],
  ['* * * * funday', /not a number, range or list/],
];

for (const c of valid) test(`cron "${c}" is valid`, () => assert.is(cronProblem(c), undefined));
for (const [c, why] of invalid) test(`cron "${c}" is refused`, () => assert.match(cronProblem(c) ?? '', why));

test.run();
