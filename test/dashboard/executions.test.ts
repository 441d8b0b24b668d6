// The executions pages in a real Chromium against a real `serve`: the list and its filters, one
// execution whose logs stream onto the page while it runs and whose Cancel stops it, what a
// read-only token sees, accessibility, a phone's width, hostile text shown as text, and a
// 2,000-step execution that opens at once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { openFileStore } from '../../src/store/file-store.ts';
import { cli } from '../cli/helpers.ts';
import type { ExecutionRecord, StepRecord } from '../../src/store/types.ts';
import { apiDownDocuments, eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard executions');
const xss = '<img src=x onerror=alert(1)>';
let w: ServeWorld;
let browser: Browser;
let base: string;
let quick: string, slow: string;
/** Alerts from injected markup, on any page of the file. */
const alerts: string[] = [];

const quickFlow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: quick }
spec:
  parameters: { note: { type: string, default: none } }
  steps:
    - id: greet
      run: echo "note \${{ params.note }}"
    - id: left
      needs: [greet]
      run: echo left
    - id: right
      needs: [greet]
      run: echo right
    - id: join
      needs: [left, right]
      run: echo joined
`;
const slowFlow = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: slow }
spec:
  steps:
    - id: prep
      run: echo preparing
    - id: talk
      needs: [prep]
      run: for i in $(seq 1 150); do echo "tick $i"; sleep 0.2; done
    - id: after
      needs: [talk]
      run: echo done
`;

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) });
  writeFileSync(join(w.dir, 'pipelines', 'quick.yml'), quickFlow);
  writeFileSync(join(w.dir, 'pipelines', 'slow.yml'), slowFlow);
  mkdirSync(join(w.dir, 'plugins', 'hello', 'config'), { recursive: true });
  mkdirSync(join(w.dir, 'plugins', 'hello', 'backend'), { recursive: true });
  writeFileSync(join(w.dir, 'plugins', 'hello', 'config', 'plugin.json'), JSON.stringify({ id: 'hello-plugin', name: 'Hello', version: '1.0.0', runtime: 'python', entry: 'backend/plugin.py' }));
  writeFileSync(join(w.dir, 'plugins', 'hello', 'backend', 'plugin.py'), 'print("hi")\n');
  const proc = await w.start([]);
  base = proc.url;
  browser = await launch();
  const q = await w.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'quick', parameters: { note: xss } } });
  assert.is(q.status, 202, JSON.stringify(q.body));
  quick = q.body.data.id;
  await eventually(async () => (await w.api('GET', `/api/executions/${quick}`, { token: readToken })).body.data.status === 'success', { what: 'the quick run' });
});
test.after(async () => { await browser?.close(); await w.close(); });

async function signedIn(token: string, next: string, o: { width?: number; height?: number } = {}): Promise<Page> {
  const page = await (await context(browser, o)).newPage();
  page.on('dialog', (d) => { if (d.type() === 'confirm') void d.accept(); else { alerts.push(d.message()); void d.dismiss(); } });
  await signIn(page, base, token, next);
  return page;
}

const rows = (page: Page) => page.locator('table.executions tbody tr').allInnerTexts();

test('a running execution streams its logs onto its page without a reload, and Cancel stops it', async () => {
  const s = await w.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'slow', plugin: 'plugins/hello' } });
  assert.is(s.status, 202, JSON.stringify(s.body));
  slow = s.body.data.id;
  await eventually(async () => (await w.api('GET', `/api/executions/${slow}`, { token: readToken })).body.data.steps.talk?.status === 'running', { what: 'the talking step' });
  const page = await signedIn(writeToken, `/executions/${slow}`);
  await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true; });
  const firstLines = await page.locator('#log-all-0 .line').count();
  await eventually(async () => (await page.locator('#log-all-0 .line').count()) >= firstLines + 3, { what: 'streamed lines', timeoutMs: 20_000 });
  assert.match(await page.locator('#log-all-0').innerText(), /\[talk\] tick \d+/);
  assert.ok(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), 'the lines came without a reload');
  assert.match(await page.locator('.exec-status').innerText(), /running/);
  assert.match(await page.locator('svg.step-graph').innerHTML(), /talk/);
  assert.is(await page.locator('svg.step-graph path.edge').count(), 2);
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-running');

  await page.click('form.cancel button');
  await eventually(async () => /cancelled/.test(await page.locator('.exec-status').innerText()), { what: 'the page saying cancelled', timeoutMs: 20_000 });
  assert.ok(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), 'refreshed in place');
  assert.is((await w.api('GET', `/api/executions/${slow}`, { token: readToken })).body.data.status, 'cancelled');
  assert.is(await page.locator('form.cancel').count(), 0, 'no Cancel once finished');
  assert.is(await page.locator('form.retry').count(), 1, 'Retry for a cancelled run');
  assert.match(await page.locator('table.steps').innerText(), /cancelled/);
  await screenshot(page, 'execution-cancelled');

  // Retry takes the run up again; the refreshed page follows the new attempt's lines.
  await page.click('form.retry button');
  await eventually(async () => /running/.test(await page.locator('.exec-status').innerText()), { what: 'the retried run running', timeoutMs: 20_000 });
  await eventually(async () => /\[talk\] tick \d+/.test(await page.locator('#log-all-1').innerText().catch(() => '')), { what: 'the retried run\'s lines', timeoutMs: 20_000 });
  const before = await page.locator('#log-all-1 .line').count();
  await eventually(async () => (await page.locator('#log-all-1 .line').count()) > before, { what: 'lines streaming after the retry', timeoutMs: 20_000 });
  await page.click('form.cancel button');
  await eventually(async () => /cancelled/.test(await page.locator('.exec-status').innerText()), { what: 'cancelled again', timeoutMs: 20_000 });
  await page.context().close();
});

test('the list: newest first, filters by status, workflow, plugin id and date; axe finds nothing', async () => {
  const page = await signedIn(writeToken, '/executions');
  const all = await rows(page);
  assert.is(all.length, 2);
  assert.match(all[0]!, new RegExp(slow));
  assert.match(all[1]!, new RegExp(quick));
  assert.equal(await axe(page), []);
  await screenshot(page, 'executions-list');

  await page.selectOption('#f-status', 'success');
  await Promise.all([page.waitForURL(/status=success/), page.click('form.filters button[type=submit]')]);
  assert.equal((await rows(page)).map((r) => r.includes(quick)), [true]);

  await page.goto(`${base}/executions?plugin=hello-plugin`);
  assert.equal((await rows(page)).map((r) => r.includes(slow)), [true], 'the manifest id finds the run given plugins/hello');
  await page.goto(`${base}/executions?workflow=quick`);
  assert.equal((await rows(page)).map((r) => r.includes(quick)), [true]);
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.goto(`${base}/executions?from=${today}&to=${today}`);
  assert.is((await rows(page)).length, 2);
  await page.goto(`${base}/executions?from=${tomorrow}`);
  assert.is((await rows(page)).length, 0);
  assert.match(await page.locator('main').innerText(), /No execution matches/);
  await page.goto(`${base}/executions?from=not-a-day`);
  assert.match(await page.locator('main').innerText(), /A date was not understood/);
  assert.is((await rows(page)).length, 2);
  await page.context().close();
});

test('a read token sees no Cancel or Retry; hostile text renders as text; fits a phone', async () => {
  const page = await signedIn(readToken, `/executions/${slow}`, { width: 390, height: 844 });
  assert.is(await page.locator('form.cancel, form.retry').count(), 0);
  await page.goto(`${base}/executions/${quick}`);
  assert.match(await page.locator('#log-all-0').innerText(), /\[greet\] note <img src=x onerror=alert\(1\)>/);
  assert.match(await page.locator('dl.params').innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.is(await page.locator('main img').count(), 0, 'no injected element');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal page scroll at 390 px');
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-phone');
  await page.goto(`${base}/executions/${quick}?step=left`);
  assert.equal((await page.locator('#log-left-0 .line').allInnerTexts()).map((l) => l.replace(/^\S+ /, '')), ['[left] left']);
  await page.goto(`${base}/executions/${quick}?lang=ko`);
  assert.match(await page.locator('h1').innerText(), /실행/);
  assert.match(await page.locator('.exec-status').innerText(), /성공/);
  assert.equal(await axe(page), []);
  assert.equal(alerts, []);
  await page.context().close();
});

test('the report of an execution opens from a file in Chromium with no request but itself', async () => {
  const file = join(w.dir, 'report.html');
  const r = await cli(['executions', 'report', quick, '--html', file], w.dir, { env: w.env });
  assert.is(r.code, 0, r.stderr);
  const page = await (await context(browser)).newPage();
  page.on('dialog', (d) => { alerts.push(d.message()); void d.dismiss(); });
  const requests: string[] = [];
  page.on('request', (q) => requests.push(q.url()));
  await page.goto(pathToFileURL(file).href);
  assert.equal(requests, [pathToFileURL(file).href]);
  assert.match(await page.locator('h1').innerText(), new RegExp(`Execution report ${quick}`));
  assert.is(await page.locator('svg.step-graph g.node').count(), 4);
  assert.match(await page.locator('.log').innerText(), /note <img src=x onerror=alert\(1\)>/);
  assert.is(await page.locator('img').count(), 0);
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-report');
  assert.equal(alerts, []);
  await page.context().close();
});

test('a 2,000-step execution opens at once: a page of steps, a bounded graph, a page under 300 KB', async () => {
  const at = Date.parse('2026-01-01T00:00:00Z');
  const steps: Record<string, StepRecord> = {};
  const needs: Record<string, string[]> = {};
  for (let i = 0; i < 2000; i++) {
    const id = `s${String(i).padStart(4, '0')}`;
    const layer = Math.floor(i / 100);
    steps[id] = { id, status: i === 1999 ? 'failed' : 'success', attempts: 1, startedAt: new Date(at + layer * 1000).toISOString(), endedAt: new Date(at + layer * 1000 + 900).toISOString(), durationMs: 900, outputs: {} };
    if (layer > 0) needs[id] = [`s${String((layer - 1) * 100 + (i % 100)).padStart(4, '0')}`];
  }
  const record: ExecutionRecord = {
    id: 'big-run', workflow: 'huge', parameters: {}, status: 'failed', createdAt: new Date(at).toISOString(), startedAt: new Date(at).toISOString(),
    endedAt: new Date(at + 20_000).toISOString(), durationMs: 20_000, steps, needs, artifacts: [], error: 'step s1999 failed',
  };
  const store = await openFileStore(join(w.dir, '.pluginops'));
  await store.create(record);
  for (let i = 0; i < 50; i++) await store.create({ id: `old-${String(i).padStart(2, '0')}`, workflow: 'old', parameters: {}, status: 'success', createdAt: new Date(at - (i + 1) * 60_000).toISOString(), steps: {}, artifacts: [] });
  await store.close();

  const page = await signedIn(readToken, '/executions');
  // 53 executions: 50 on the first page, 3 behind Next.
  assert.is((await rows(page)).length, 50);
  await Promise.all([page.waitForURL(/cursor=/), page.click('nav.pager a[rel=next]')]);
  const rest = await rows(page);
  assert.ok(rest.length === 3 && /old-49/.test(rest.at(-1)!), rest.join('\n'));
  await Promise.all([page.waitForURL((u) => !u.search.includes('cursor')), page.click('a[rel=first]')]);
  assert.is((await rows(page)).length, 50);
  const html = await page.evaluate(async () => (await fetch('/executions/big-run')).text());
  assert.ok(html.length < 300_000, `${html.length} characters`);
  const started = Date.now();
  await page.goto(`${base}/executions/big-run`);
  const took = Date.now() - started;
  assert.ok(took < 5_000, `opened in ${took} ms`);
  assert.is(await page.locator('table.steps tbody tr').count(), 100);
  assert.ok((await page.locator('svg.step-graph g.node').count()) <= 40, 'the graph sums up layers');
  assert.match(await page.locator('.graph-note').innerText(), /More than 120 steps/);
  await Promise.all([page.waitForURL(/steps=2/), page.click('nav.pager a[rel=next]')]);
  assert.match(await page.locator('table.steps tbody tr').first().innerText(), /s0100/);
  await page.goto(`${base}/executions/big-run?steps=20`);
  assert.match(await page.locator('table.steps').innerText(), /s1999[\s\S]*failed/);
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-2000-steps');
  await page.context().close();
});

test.run();
