// The overview and the check pages in a real Chromium against a real `serve --cron`: the loopback
// service starts failing and the overview turns the check red, shows the incident and then an
// approval that waits, all without a reload; the check page draws one SVG point per hour of
// history (seeded rollups, read back from the store at start) plus the live results; "Run now"
// works for a write session and is absent for a read one; markup in a failure reason, an incident
// title or an approval title stays text; axe finds nothing serious on /, /checks and
// /checks/{id}; the overview fits a 390 px phone without sideways scroll, in Korean too; a
// restart keeps the rollups.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { encodeRollups, rollupPath } from '../../src/monitor/history/rollup-file.ts';
import { hourMs, Rollups } from '../../src/monitor/history/rollups.ts';
import { adminToken, eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const xss = '<img src=x onerror=alert(1)>';
const documents = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: http, url: "{service}/health", interval: 500ms, stagger: 0s, timeout: 1s, failureThreshold: 2, successThreshold: 1 }
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: "API <script>alert(2)</script> down" }
spec: { source: { healthCheck: api }, severity: critical, notify: { channels: [ops-hook] } }
---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: shout }
spec:
  type: command
  command: echo hi
  interval: 1h
  stagger: 0s
  failureThreshold: 1
  conditions: ["output == '${xss}'"]
---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: scale, name: "Scale <img src=x onerror=alert(3)> workers" }
spec:
  category: performance
  approval: { required: true }
  steps:
    - { id: scale, run: echo scaled }
`;

const test = suite('dashboard overview and checks');
let w: ServeWorld;
let browser: Browser;
const dialogs: string[] = [];

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents });
  // 23 hours of history before this one, as an earlier process left it: 10 results an hour, 1 failed.
  const seeded = new Rollups();
  const now = Date.now();
  for (let h = 23; h >= 1; h--) for (let i = 0; i < 10; i++) seeded.record('api', now - h * hourMs, i !== 0, 20 + h);
  mkdirSync(join(w.dir, '.pluginops', 'monitor'), { recursive: true });
  writeFileSync(rollupPath(join(w.dir, '.pluginops')), encodeRollups(seeded.byId));
  await w.start(['--cron']);
  browser = await launch();
});
test.after(async () => { await browser?.close(); await w.close(); });

async function open(token: string, path: string, o: { width?: number; height?: number } = {}): Promise<Page> {
  const ctx = await context(browser, o);
  const page = await ctx.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, w.proc!.url, token, path);
  return page;
}

test('the overview turns a check red and shows its incident without a reload', async () => {
  const page = await open(writeToken, '/');
  await page.waitForSelector('tr[data-check="api"][data-state="up"]', { timeout: 15_000 });
  await page.evaluate(() => { (window as unknown as { notReloaded: boolean }).notReloaded = true; });
  assert.match(await page.locator('tr[data-check="api"] svg.spark polyline').getAttribute('points') ?? '', /\d+(\.\d+)?,\d/);
  w.service.mode = 'down';
  await page.waitForSelector('tr[data-check="api"][data-state="down"]', { timeout: 20_000 });
  const incident = page.locator('#ov-incidents ~ ul a[href^="/incidents/"]');
  await incident.first().waitFor({ timeout: 20_000 });
  assert.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true), 'the page was refreshed in place, not reloaded');
  assert.match(await incident.first().innerText(), /API <script>alert\(2\)<\/script> down/);
  assert.match(await page.locator('[data-count="down"]').innerText(), /^[12]$/);
  assert.match(await page.locator('tr[data-check="shout"] td.reason').innerText(), /output == '<img src=x onerror=alert\(1\)>'/);
  const started = await w.api('POST', '/api/runs', { token: writeToken, body: { templateId: 'scale', data: {} } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const waiting = page.locator(`#ov-executions ~ ul a[href="/executions/${started.body.data.id}"]`);
  await waiting.waitFor({ timeout: 20_000 });
  const approval = page.locator('#ov-approvals ~ ul a[href="/approvals"]');
  await approval.first().waitFor({ timeout: 20_000 });
  assert.match(await approval.first().innerText(), /<img src=x onerror=alert\(3\)>/);
  assert.ok(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true));
  assert.is(await page.locator('main img, main script').count(), 0);
  assert.equal(await axe(page), []);
  await screenshot(page, 'overview');
  // The incident the failing check opened: acknowledged, then resolved with a text, from its page.
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/incidents/')), incident.first().click()]);
  await page.evaluate(() => { (window as unknown as { samePage: boolean }).samePage = true; });
  await page.fill('#ack-note', 'looking');
  await page.click('form[data-api$="/acknowledge"] button[type=submit]');
  await page.locator('li[data-kind=acknowledged]').waitFor({ timeout: 10_000 });
  await page.fill('#resolution', 'restarted the <b>api</b> service');
  await page.click('form[data-api$="/resolve"] button[type=submit]');
  await page.locator('li[data-kind=resolved]').waitFor({ timeout: 10_000 });
  assert.match(await page.locator('li[data-kind=acknowledged]').innerText(), /looking/);
  assert.match(await page.locator('li[data-kind=resolved]').innerText(), /restarted the <b>api<\/b> service/);
  assert.ok(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage === true), 'acknowledged and resolved in place');
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const stored = await w.api('GET', `/api/incidents/${id}`, { token: readToken });
  assert.equal([stored.body.data.status, stored.body.data.acknowledgedBy, stored.body.data.resolution], ['resolved', 'ci', 'restarted the <b>api</b> service']);
  await screenshot(page, 'incident-from-overview');
  assert.equal(dialogs, []);
});

test('the checks list: state, last result, reason and uptime; filtered by state', async () => {
  const page = await open(readToken, '/checks');
  assert.is(await page.locator('table.checks tbody tr').count(), 2);
  await page.selectOption('#check-status', 'down');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('status') === 'down'), page.click('form.filters button')]);
  const rows = page.locator('table.checks tbody tr');
  await eventually(async () => (await rows.count()) >= 1 && (await rows.evaluateAll((trs) => trs.every((tr) => tr.getAttribute('data-state') === 'down'))));
  assert.match(await page.locator('tr[data-check="api"] td').nth(5).innerText(), /^\d+(\.\d+)?%$/);
  assert.equal(await axe(page), []);
  await screenshot(page, 'checks');
  assert.is(await page.locator('main img, main script').count(), 0);
});

test('the check page: one chart point per hour with results, an up/down bar, recent results; Run now for a write session', async () => {
  const page = await open(writeToken, '/checks/api');
  const points = page.locator('svg.chart.response circle.point');
  const n = await points.count();
  assert.ok(n === 24 || n === 25, `24 hourly points (23 seeded + this hour; 25 across an hour's turn), got ${n}`);
  assert.is(Number(await page.locator('svg.chart.response').getAttribute('data-points')), n);
  assert.is(await points.first().getAttribute('data-count'), '10');
  assert.match(await points.first().locator('title').textContent() ?? '', /mean \d+ ms, slowest \d+ ms, 10 results/);
  assert.is(await page.locator('svg.bar.updown rect.cell').count(), 24);
  assert.ok(await page.locator('svg.bar.updown rect.cell.warn').count() >= 23, 'the seeded hours each had a failure');
  assert.match(await page.locator('.uptime-range').innerText(), /Uptime over 24 hours: \d+/);
  const before = await page.locator('table.results tbody tr').count();
  await page.click('form.run-now button');
  await page.locator('#flash').filter({ hasText: /check api (ok|FAILED) in \d+ms/ }).waitFor({ timeout: 10_000 });
  await eventually(async () => (await page.locator('table.results tbody tr').count()) >= Math.min(before + 1, 50));
  await page.click('nav.ranges a:has-text("7 days")');
  await page.waitForURL((u) => u.searchParams.get('range') === '7d');
  assert.is(await page.locator('svg.bar.updown rect.cell').count(), 168);
  assert.ok(await page.locator('svg.chart.response circle.point').count() >= 24);
  assert.equal(await axe(page), []);
  await screenshot(page, 'check-detail');
});

test('a read session sees no Run now; a pause is shown; markup in a reason is text; unknown checks are a 404 page', async () => {
  const paused = await w.api('POST', '/api/controls/pause', { token: adminToken, body: { target: { check: 'shout' }, reason: 'moving <b>it</b>', for: '1h' } });
  assert.is(paused.status, 200, JSON.stringify(paused.body));
  const page = await open(readToken, '/checks/shout');
  assert.match(await page.locator('.paused-note').innerText(), /Paused by ops-admin: moving <b>it<\/b> until \d/);
  assert.match(await page.locator('h1 .badge').innerText(), /Paused/);
  await page.locator('table.results tbody tr').first().waitFor();
  assert.is(await page.locator('form[data-api]').count(), 0);
  assert.match(await page.locator('main').innerText(), /Your token may only read/);
  assert.match(await page.locator('table.results td.reason').first().innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.is(await page.locator('main img').count(), 0);
  assert.equal(await axe(page), []);
  const missing = await page.goto(`${w.proc!.url}/checks/nope`);
  assert.is(missing?.status(), 404);
  assert.equal(dialogs, []);
});

test('on a 390 px phone the overview has no sideways scroll', async () => {
  const page = await open(readToken, '/', { width: 390, height: 844 });
  await page.waitForSelector('tr[data-check="api"]');
  await page.goto(`${w.proc!.url}/?lang=ko`);
  assert.is(await page.locator('h1').innerText(), '개요');
  assert.equal(await axe(page), []);
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(widths[0]! <= widths[1]!, `page ${widths[0]} px wide in a ${widths[1]} px viewport`);
  await screenshot(page, 'overview-phone');
});

test('a restart keeps the rollups', async () => {
  const before = (await w.api('GET', '/api/checks/api/series?range=24h', { token: readToken })).body.data;
  w.proc!.child.kill('SIGTERM');
  assert.is((await w.proc!.exited).code, 0);
  await w.start([]);
  const after = (await w.api('GET', '/api/checks/api/series?range=24h', { token: readToken })).body.data;
  const sum = (s: { buckets: Array<{ count: number }> }) => s.buckets.reduce((a, b) => a + b.count, 0);
  assert.ok(sum(after) >= sum(before) && sum(before) > 230, `${sum(before)} results before, ${sum(after)} after`);
  assert.is(after.buckets.filter((b: { count: number }) => b.count > 0).length, before.buckets.filter((b: { count: number }) => b.count > 0).length);
});

test.run();
