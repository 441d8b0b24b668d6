// Maintenance windows: one-off, recurring by cron in a time zone across DST, and matching by rule
// and labels. Times are plain numbers from Date.UTC-style ISO strings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { activeWindow, MaintenanceWindowError, type MaintenanceWindow, type RecurringWindow } from '../../src/monitor/alerts/maintenance.ts';

const ms = (iso: string): number => Date.parse(iso);
const hours = (n: number): number => n * 3_600_000;

const berlin: RecurringWindow = { id: 'berlin-sunday', kind: 'recurring', cron: '0 2 * * 0', durationMs: hours(2), timeZone: 'Europe/Berlin' };
const seoul: RecurringWindow = { id: 'seoul-sunday', kind: 'recurring', cron: '0 2 * * 0', durationMs: hours(2), timeZone: 'Asia/Seoul' };

const recurringCases: Array<[string, RecurringWindow, string, boolean]> = [
  // Berlin, Sunday 2026-03-22, CET (+01:00): 02:00-04:00 local is 01:00Z-03:00Z.
  ['Berlin winter: just before', berlin, '2026-03-22T00:59:59Z', false],
  ['Berlin winter: at the start', berlin, '2026-03-22T01:00:00Z', true],
  ['Berlin winter: last instant', berlin, '2026-03-22T02:59:59.999Z', true],
  ['Berlin winter: at the end', berlin, '2026-03-22T03:00:00Z', false],
  // Sunday 2026-03-29: clocks jump 02:00 CET -> 03:00 CEST; 02:00 does not exist, so the window
  // starts at 03:00 CEST (01:00Z) and lasts its two hours of elapsed time.
  ['Berlin DST day: 01:30 CET, before the gap', berlin, '2026-03-29T00:30:00Z', false],
  ['Berlin DST day: 03:00 CEST, the first instant after the gap', berlin, '2026-03-29T01:00:00Z', true],
  ['Berlin DST day: 04:30 CEST', berlin, '2026-03-29T02:30:00Z', true],
  ['Berlin DST day: 05:00 CEST, two hours later', berlin, '2026-03-29T03:00:00Z', false],
  // Sunday 2026-04-05, CEST (+02:00): 02:00-04:00 local is 00:00Z-02:00Z.
  ['Berlin summer: 01:59 CEST', berlin, '2026-04-04T23:59:59Z', false],
  ['Berlin summer: at the start', berlin, '2026-04-05T00:00:00Z', true],
  ['Berlin summer: 03:59 CEST', berlin, '2026-04-05T01:59:00Z', true],
  ['Berlin summer: at the end', berlin, '2026-04-05T02:00:00Z', false],
  ['Berlin summer: at the winter-time start, now an hour past the end', berlin, '2026-04-05T03:00:00Z', false],
  ['Berlin summer: a Monday', berlin, '2026-04-06T00:30:00Z', false],
  // Sunday 2026-10-25: 02:00-03:00 happens twice; the window starts at the first, 02:00 CEST.
  ['Berlin autumn DST day: 02:00 CEST', berlin, '2026-10-25T00:00:00Z', true],
  ['Berlin autumn DST day: the second 02:59 (CET)', berlin, '2026-10-25T01:59:00Z', true],
  ['Berlin autumn DST day: the second 03:00 (CET)', berlin, '2026-10-25T02:00:00Z', false],
  // Seoul has no DST: Sunday 02:00 KST is Saturday 17:00Z all year.
  ['Seoul in March: at the start', seoul, '2026-03-28T17:00:00Z', true],
  ['Seoul in March: last minute', seoul, '2026-03-28T18:59:00Z', true],
  ['Seoul in March: at the end', seoul, '2026-03-28T19:00:00Z', false],
  ['Seoul in March: the Berlin window is not Seoul’s', seoul, '2026-03-29T01:00:00Z', false],
  ['Seoul in July: same UTC time', seoul, '2026-07-04T17:00:00Z', true],
  ['Seoul in July: one minute before', seoul, '2026-07-04T16:59:00Z', false],
];
for (const [name, window, at, active] of recurringCases) {
  test(`recurring: ${name} (${at}) is ${active ? 'inside' : 'outside'}`, () => {
    assert.is(activeWindow([window], ms(at))?.id, active ? window.id : undefined);
  });
}

const deploy: MaintenanceWindow = { id: 'deploy', kind: 'once', start: '2026-05-01T10:00:00+02:00', end: '2026-05-01T11:30:00+02:00' };
const oneOffCases: Array<[string, boolean]> = [
  ['2026-05-01T07:59:59Z', false],
  ['2026-05-01T08:00:00Z', true],
  ['2026-05-01T09:29:59Z', true],
  ['2026-05-01T09:30:00Z', false],
];
for (const [at, active] of oneOffCases) {
  test(`one-off 10:00-11:30 +02:00: ${at} is ${active ? 'inside' : 'outside'}`, () => {
    assert.is(activeWindow([deploy], ms(at))?.id, active ? 'deploy' : undefined);
  });
}

const payments = { ruleId: 'plugin-down', labels: { plugin: 'payments', env: 'prod' } };
const always = { start: '2026-01-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };
const matchCases: Array<[string, MaintenanceWindow['match'], typeof payments | undefined, boolean]> = [
  ['no match applies to every alert', undefined, payments, true],
  ['no match applies without a target', undefined, undefined, true],
  ['a matcher never applies without a target', { labels: { plugin: 'payments' } }, undefined, false],
  ['equal label', { labels: { plugin: 'payments' } }, payments, true],
  ['all labels must be equal', { labels: { plugin: 'payments', env: 'staging' } }, payments, false],
  ['a label the alert lacks', { labels: { region: 'eu' } }, payments, false],
  ['rule listed', { rules: ['latency', 'plugin-down'] }, payments, true],
  ['rule not listed', { rules: ['latency'] }, payments, false],
  ['rule and labels both hold', { rules: ['plugin-down'], labels: { env: 'prod' } }, payments, true],
  ['rule holds, labels do not', { rules: ['plugin-down'], labels: { env: 'dev' } }, payments, false],
];
for (const [name, match, target, applies] of matchCases) {
  test(`matching: ${name}`, () => {
    const window: MaintenanceWindow = { id: 'w', kind: 'once', ...always, ...(match ? { match } : {}) };
    assert.is(activeWindow([window], ms('2026-06-01T00:00:00Z'), target)?.id, applies ? 'w' : undefined);
  });
}

test('the first active window that applies is returned', () => {
  const windows: MaintenanceWindow[] = [
    { id: 'other-plugin', kind: 'once', ...always, match: { labels: { plugin: 'search' } } },
    { id: 'over', kind: 'once', start: '2025-01-01T00:00:00Z', end: '2025-01-02T00:00:00Z' },
    berlin,
    { id: 'payments', kind: 'once', ...always, match: { labels: { plugin: 'payments' } } },
  ];

  assert.is(activeWindow(windows, ms('2026-06-01T00:00:00Z'), payments)?.id, 'payments');
  assert.is(activeWindow(windows, ms('2026-04-05T00:00:00Z'), payments)?.id, 'berlin-sunday');
});

const invalid: Array<[string, MaintenanceWindow, RegExp]> = [
  ['an ISO time without offset', { id: 'x', kind: 'once', start: '2026-05-01T10:00:00', end: '2026-05-01T11:00:00Z' }, /window x: expected an ISO time with Z or an offset/],
  ['an unparseable cron', { ...berlin, id: 'y', cron: 'every sunday' }, /window y: cron "every sunday"/],
  ['an unknown time zone', { ...berlin, id: 'z', timeZone: 'Mars/Olympus' }, /window z: .*Invalid timezone/],
  ['a zero duration', { ...berlin, id: 'd', durationMs: 0 }, /window d: durationMs must be positive/],
];
for (const [name, window, message] of invalid) {
  test(`a window with ${name} is refused with its id`, () => {
    assert.throws(() => activeWindow([window], ms('2026-06-01T00:00:00Z')), (e: unknown) => e instanceof MaintenanceWindowError && message.test(e.message));
  });
}

test.run();
