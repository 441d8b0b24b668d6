// The statistics page in a real Chromium against a real `serve`, over execution files written
// into the store before it starts: the charts have one bar or point per day (and workflow) with
// executions, the tables beside them hold the records' figures, the filters (range, workflow)
// narrow them, Korean labels, 390 px without horizontal scroll, no accessibility violations, and
// a workflow name with markup shown as text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { apiDownDocuments, readToken, serveWorld, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard statistics');
const dayMs = 86_400_000;
const xss = '<img src=x onerror=alert(1)>';
let w: ServeWorld;
let browser: Browser;
let base: string;
const dialogs: string[] = [];

/** One finished (or running) execution file as the store writes it. */
function write(dir: string, id: string, workflow: string, daysAgo: number, status: string, durationMs?: number): void {
  const today = Math.floor(Date.now() / dayMs) * dayMs;
  const created = today - daysAgo * dayMs;
  const at = (ms: number) => new Date(ms).toISOString();
  const lines: unknown[] = [
    { type: 'created', record: { id, workflow, parameters: {}, status: 'pending', createdAt: at(created), steps: {}, artifacts: [] } },
    { type: 'status', status: 'running', at: at(created) },
  ];
  if (durationMs !== undefined) lines.push({ type: 'status', status, at: at(created + durationMs) });
  writeFileSync(join(dir, `${id}.jsonl`), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
}

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 10'], documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) });
  const dir = join(w.dir, '.pluginops', 'executions');
  mkdirSync(dir, { recursive: true });
  write(dir, 'd1', 'deploy', 1, 'success', 1000);
  write(dir, 'd2', 'deploy', 1, 'success', 3000);
  write(dir, 'd3', 'deploy', 3, 'success', 2000);
  write(dir, 'd4', 'deploy', 3, 'failed', 5000);
  write(dir, 'd5', 'deploy', 40, 'success', 4000); // outside 30 days
  write(dir, 'b1', 'backup', 2, 'success', 500);
  write(dir, 'b2', 'backup', 2, 'timed_out', 9000);
  write(dir, 'b3', 'backup', 0, 'running'); // no owner recorded: counted as running
  write(dir, 'x1', xss, 4, 'failed', 700);
  await w.start([]);
  base = w.proc!.url;
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await w.close();
});

async function open(o: { locale?: string; width?: number; height?: number } = {}, path = '/statistics'): Promise<Page> {
  const ctx = await context(browser, o);
  const page = await ctx.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, base, readToken, path);
  return page;
}

const count = (page: Page, selector: string) => page.locator(selector).count();
const cells = (page: Page, table: string) => page.locator(`table.${table} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));

test('30 days: one bar segment per status and day, one point per day with finished runs, tables with the records\' figures', async () => {
  const page = await open();
  assert.is(await page.locator('h1').textContent(), 'Statistics');
  // Figures: 8 executions in 30 days, 7 finished, 4 successful.
  const figures = await page.locator('.stat-figures .figure').allTextContents();
  assert.equal(figures.slice(0, 2), ['8', '57.1%']);
  // Per day: day 0 running; day 1 success; day 2 success + timed out; day 3 success + failed; day 4 failed.
  assert.is(await count(page, '#chart-per-day rect.seg'), 7);
  assert.is(await count(page, '#chart-per-day rect.seg[data-tone="bad"]'), 2);
  const today = (n: number) => new Date(Math.floor(Date.now() / dayMs) * dayMs - n * dayMs).toISOString().slice(0, 10);
  const perDay = await cells(page, 'stat-days');
  assert.equal(perDay.map((r) => r[0]), [today(4), today(3), today(2), today(1), today(0)]);
  const header = (await page.locator('table.stat-days thead th').allTextContents()).map((h) => h.replace(/\s+/g, ' ').trim());
  assert.equal(header, ['Day', 'Total', '✓ success', '✕ failed', '! timed out', '● running']);
  assert.equal(perDay[1], [today(3), '2', '1', '1', '0', '0']);
  assert.equal(perDay[2], [today(2), '2', '1', '0', '1', '0']);
  // Success rate: a point for each of the 4 days with finished executions.
  assert.is(await count(page, '#chart-rate circle.point'), 4);
  assert.equal((await cells(page, 'stat-rates')).map((r) => r.slice(1)), [['1', '0.0%'], ['2', '50.0%'], ['2', '50.0%'], ['2', '100.0%']]);
  // Durations: average (circles) and p95 (squares) on the same 4 days.
  assert.is(await count(page, '#chart-duration circle.point'), 4);
  assert.is(await count(page, '#chart-duration rect.point'), 4);
  assert.equal((await cells(page, 'stat-durations'))[3], [today(1), '2.0 s', '3.0 s']);
  assert.match(await page.locator('#chart-duration rect.point').nth(3).locator('title').textContent() ?? '', /95th percentile 3\.0 s/);
  // Per workflow: backup (success, timed out, running), deploy (success, failed), the markup-named one (failed).
  assert.is(await count(page, '#chart-workflows g.row'), 3);
  assert.is(await count(page, '#chart-workflows rect.seg'), 6);
  const byWorkflow = await cells(page, 'stat-workflows');
  assert.equal(byWorkflow.map((r) => r.slice(0, 5)), [
    [xss, '1', '0.0%', '700 ms', '700 ms'],
    ['backup', '3', '50.0%', '4.8 s', '9.0 s'],
    ['deploy', '4', '75.0%', '2.8 s', '5.0 s'],
  ]);
  assert.equal(await axe(page), []);
  await screenshot(page, 'statistics');
  await page.context().close();
});

test('filters: 7 and 90 days, one workflow (the form keeps the choice)', async () => {
  const page = await open({}, '/statistics?range=90d');
  assert.is(await page.locator('.stat-figures .figure').first().textContent(), '9');
  assert.is(await count(page, '#chart-per-day rect.seg'), 8);
  await page.selectOption('select[name=workflow]', 'deploy');
  await page.selectOption('select[name=range]', '7d');
  await Promise.all([page.waitForURL(/workflow=deploy/), page.click('form.filters button[type=submit]')]);
  assert.match(page.url(), /range=7d/);
  assert.is(await page.locator('.stat-figures .figure').first().textContent(), '4');
  assert.is(await count(page, '#chart-workflows g.row'), 1);
  assert.is(await count(page, '#chart-per-day rect.seg'), 3);
  assert.is(await page.locator('select[name=workflow]').inputValue(), 'deploy');
  assert.equal(await axe(page), []);
  const bad = await page.goto(`${base}/statistics?range=5y`);
  assert.is(bad?.status(), 400);
  assert.match(await page.locator('main').textContent() ?? '', /7d, 30d or 90d/);
  await page.context().close();
});

test('Korean labels, and 390 px wide without horizontal scrolling', async () => {
  const page = await open({ locale: 'ko-KR', width: 390, height: 844 });
  assert.is(await page.locator('h1').textContent(), '통계');
  assert.match(await page.locator('main').textContent() ?? '', /성공률[\s\S]*일별 실행 수[\s\S]*워크플로별/);
  assert.equal(await page.locator('table.stat-days thead th').first().textContent(), '날짜');
  assert.match(await page.locator('#chart-rate').getAttribute('aria-label') ?? '', /선 차트/);
  const scroll = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
  assert.ok(scroll.page <= scroll.view, `page is ${scroll.page} px wide in a ${scroll.view} px view`);
  assert.equal(await axe(page), []);
  await screenshot(page, 'statistics-ko-390');
  await page.context().close();
});

test('a workflow name with markup is shown as text everywhere and never runs', async () => {
  const page = await open({}, `/statistics?workflow=${encodeURIComponent(xss)}`);
  assert.is(await page.locator('.stat-figures .figure').first().textContent(), '1');
  assert.is(await page.locator(`select[name=workflow] option[value="${xss}"]`).count(), 1);
  assert.match(await page.locator('main').textContent() ?? '', /<img src=x onerror=alert\(1\)>/);
  assert.match(await page.title(), /<img src=x/);
  assert.is(await page.locator('img[src="x"]').count(), 0);
  await page.waitForTimeout(200);
  assert.equal(dialogs, []);
  await page.context().close();
});

test.run();
