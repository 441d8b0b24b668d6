// Days left on a certificate, from the `valid_to` text node:tls reports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { certificateDaysLeft } from '../../src/monitor/checks/certificate.ts';

const now = Date.parse('2030-03-01T12:00:00Z');
const cases: Array<{ validTo: string; days: number | null }> = [
  { validTo: 'Mar 31 12:00:00 2030 GMT', days: 30 },
  { validTo: 'Mar 31 11:59:59 2030 GMT', days: 29 },
  { validTo: 'Mar  2 12:00:00 2030 GMT', days: 1 },
  { validTo: 'Mar  1 18:00:00 2030 GMT', days: 0 },
  { validTo: 'Feb 28 12:00:00 2030 GMT', days: -1 },
  { validTo: 'Mar  1 12:00:00 2031 GMT', days: 365 },
  { validTo: 'not a date', days: null },
];
for (const c of cases) {
  test(`${c.validTo} → ${c.days}`, () => {
    assert.is(certificateDaysLeft(c.validTo, now), c.days);
  });
}

test.run();
