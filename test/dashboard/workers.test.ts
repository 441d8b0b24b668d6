// The workers pages in a real Chromium against a real `serve` on loopback. The test plays two
// workers through the API (register, claim, report, complete — no worker processes): `alpha`
// (deploy) stays idle, `gamma` (build) fails one task and runs another. Tasks: a critical one
// running on gamma, a high one that failed with an error holding markup and a type holding a
// script, a low one needing `gpu` that no worker has (waiting), a normal one for `deploy`. Then:
// /workers shows the figures, the workers with their state and held tasks, the tasks with their
// priorities and the waiting one said plainly, and filters by state and priority; a task's page
// shows its facts, result and history; Drain (with a write session) turns alpha draining, and
// the deploy task then waits; Cancel ends the waiting task; a new task shows without a reload; a
// read session sees no buttons; nothing hostile runs; the Korean pages speak Korean; axe finds
// nothing serious.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const hostileType = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
const hostileError = '<img src=x onerror="window.__xss=3">exit 3 </span><b>bold</b>';
const documents = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: job }
spec:
  steps:
    - id: work
      run: echo "job on $WORKER_TAG"
`;

interface TaskView { id: string; state: string; priority: string; unroutable?: boolean; execution?: string; claim?: string; history: Array<{ state: string; message?: string }> }

const test = suite('dashboard: workers');
let w: ServeWorld;
let browser: Browser;
let base: string;
const alerts: string[] = [];
const workers = { alpha: '', gamma: '' };
const tasks = { running: '', failed: '', gpu: '', deploy: '' };

async function api(method: string, path: string, body?: unknown, token = writeToken) {
  const r = await w.api(method, path, { token, ...(body !== undefined ? { body } : {}) });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.data;
}
const submit = async (body: Record<string, unknown>): Promise<TaskView> => api('POST', '/api/tasks', { workflow: 'job', ...body });
const claim = async (worker: string): Promise<TaskView> => api('POST', `/api/workers/${worker}/claim`, { waitMs: 0 });
const task = async (id: string): Promise<TaskView> => api('GET', `/api/tasks/${id}`, undefined, readToken);

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents, extraProject: ['workers: { lease: 10m }'] });
  await w.start([]);
  base = w.proc!.url;
  browser = await launch();
  workers.alpha = (await api('POST', '/api/workers', { name: 'alpha', type: 'shell', capabilities: ['deploy'] })).worker.id;
  workers.gamma = (await api('POST', '/api/workers', { name: 'gamma', capabilities: ['build'], concurrency: 2 })).worker.id;
  // gamma fails the first task it claims (one attempt), then runs the next.
  tasks.failed = (await submit({ type: hostileType, priority: 'high', capabilities: ['build'], maxAttempts: 1 })).id;
  const first = await claim(workers.gamma);
  assert.is(first.id, tasks.failed);
  await api('POST', `/api/tasks/${first.id}/complete`, { worker: workers.gamma, claim: first.claim, status: 'failed', error: hostileError, exitCode: 3 });
  tasks.running = (await submit({ type: 'job', priority: 'critical', capabilities: ['build'] })).id;
  const second = await claim(workers.gamma);
  assert.is(second.id, tasks.running);
  await api('POST', `/api/tasks/${second.id}/progress`, { worker: workers.gamma, claim: second.claim, events: [] });
  tasks.gpu = (await submit({ type: 'job', priority: 'low', capabilities: ['gpu'] })).id;
  tasks.deploy = (await submit({ type: 'job', priority: 'normal', capabilities: ['deploy'] })).id;
  assert.ok((await task(tasks.gpu)).unroutable, 'no worker has gpu');
});
test.after(async () => { await browser?.close(); await w?.close(); });

async function as(token: string, path: string, o: { locale?: string; width?: number } = {}): Promise<Page> {
  const ctx = await context(browser, o);
  const page = await ctx.newPage();
  page.on('dialog', (d) => { if (d.type() === 'confirm') { void d.accept(); return; } alerts.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => alerts.push(e.message));
  await signIn(page, base, token, path);
  return page;
}

const workerRow = (page: Page, id: string) => page.locator(`table.workers tr[data-worker="${id}"]`);
const taskRow = (page: Page, id: string) => page.locator(`table.tasks tr[data-task="${id}"]`);
const noScript = async (page: Page) => {
  assert.is(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined, 'no injected script ran');
  assert.is(await page.locator('main script, main img').count(), 0);
};

test('/workers: figures, the workers with their state and held tasks, the tasks with priorities, the waiting one said plainly; hostile text stays text', async () => {
  const page = await as(writeToken, '/workers');
  assert.is(await page.locator('h1').innerText(), 'Workers');
  assert.is(await page.locator('nav[aria-label="Main menu"] a[aria-current="page"]').innerText(), 'Workers');
  const figure = (key: string) => page.locator(`[data-figure="${key}"]`);
  assert.match(await figure('workers').innerText(), /Workers\s+2\s+1 idle · 1 busy · 0 draining · 0 offline/);
  assert.match(await figure('active').innerText(), /Active tasks\s+1/);
  assert.match(await figure('pending').innerText(), /Pending tasks\s+2/);
  assert.match(await figure('unroutable').innerText(), /Waiting for a worker\s+1/);
  assert.match(await figure('success').innerText(), /Success rate\s+0(\.0)?%\s+0 succeeded · 1 failed/);
  assert.equal(await figure('queue').locator('li').allInnerTexts(), ['1 Normal', '1 Low']);
  // Workers: busy first; gamma holds the running task (a link to its page).
  const gamma = workerRow(page, workers.gamma);
  assert.is(await gamma.getAttribute('data-state'), 'busy');
  assert.match(await gamma.innerText(), /gamma[\s\S]*● Busy[\s\S]*build[\s\S]*0 \/ 1/);
  assert.is(await gamma.locator(`a[href="/workers/tasks/${tasks.running}"]`).count(), 1);
  const alpha = workerRow(page, workers.alpha);
  assert.match(await alpha.innerText(), /alpha \(shell\)[\s\S]*○ Idle[\s\S]*deploy/);
  assert.is(await alpha.locator('time').count(), 1, 'last seen');
  assert.is(await alpha.locator('form[data-api$="/drain"] button').innerText(), 'Drain');
  // Tasks: newest first, each with its priority and state; the gpu task waits.
  const ids = await page.locator('table.tasks tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task')));
  assert.equal(ids, [tasks.deploy, tasks.gpu, tasks.running, tasks.failed]);
  const running = taskRow(page, tasks.running);
  assert.match(await running.innerText(), /⚠ Critical[\s\S]*● Running[\s\S]*gamma[\s\S]*1\/3/);
  const execution = (await task(tasks.running)).execution!;
  assert.ok(execution, 'the claim recorded an execution');
  assert.is(await running.locator(`a[href="/executions/${execution}"]`).count(), 1);
  assert.is(await running.locator(`a[href="/workers/tasks/${tasks.running}"]`).count(), 1);
  const gpu = taskRow(page, tasks.gpu);
  assert.is(await gpu.getAttribute('data-priority'), 'low');
  assert.match(await gpu.innerText(), /▽ Low[\s\S]*⌛ Waiting for a worker\s+waits: no online worker has gpu/);
  assert.match(await taskRow(page, tasks.deploy).innerText(), /● Normal[\s\S]*○ Pending/);
  const failed = taskRow(page, tasks.failed);
  assert.match(await failed.innerText(), /▲ High[\s\S]*✕ Failed[\s\S]*1\/1/);
  assert.is(await failed.locator('.task-type').innerText(), hostileType);
  await noScript(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'workers');
  // The filters are a plain form: a filtered list is a link.
  await page.selectOption('select[name=priority]', 'critical');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('priority') === 'critical'), page.click('form.filters button[type=submit]')]);
  assert.equal(await page.locator('table.tasks tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task'))), [tasks.running]);
  await page.goto(`${base}/workers?state=failed`);
  assert.equal(await page.locator('table.tasks tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task'))), [tasks.failed]);
  assert.is(await page.locator('select[name=state]').inputValue(), 'failed');
  await page.goto(`${base}/workers?state=succeeded`);
  assert.match(await page.locator('#tasks-h + form + .empty').innerText(), /No task matches\./);
  assert.equal(alerts, []);
  await page.context().close();
});

test('a task\'s page: facts with links, the result with the error as text, the history, Retry for a failed one and Cancel for a running one', async () => {
  const page = await as(writeToken, `/workers/tasks/${tasks.failed}`);
  assert.match(await page.locator('h1').innerText(), new RegExp(`^Task ${tasks.failed}\\s+✕ Failed$`));
  const facts = page.locator('dl.task-facts');
  assert.is(await facts.locator('dd.task-type').innerText(), hostileType);
  assert.match(await facts.innerText(), /Priority\s+▲ High[\s\S]*Runs\s+workflow job[\s\S]*Needs\s+build[\s\S]*Worker\s+gamma[\s\S]*Attempts\s+1 of 1[\s\S]*Submitted by\s+ci/);
  assert.is(await facts.locator(`a[href="/workers#worker-${workers.gamma}"]`).count(), 1);
  const execution = (await task(tasks.failed)).execution!;
  assert.is(await facts.locator(`a[href="/executions/${execution}"]`).count(), 1);
  assert.is(await page.locator('.task-error').innerText(), hostileError);
  assert.match(await page.locator('dl.task-result').innerText(), /Exit code\s+3/);
  const history = await page.locator('ol.task-history li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state')));
  assert.equal(history, ['pending', 'claimed', 'failed']);
  assert.match(await page.locator('ol.task-history li[data-state="claimed"]').innerText(), /attempt 1 of 1 claimed by gamma/);
  assert.match(await page.locator('ol.task-history li[data-state="failed"]').innerText(), /failed on gamma: <img/);
  assert.is(await page.locator('form[data-api$="/retry"] button').innerText(), 'Retry');
  assert.is(await page.locator('form[data-api$="/cancel"]').count(), 0);
  await noScript(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'workers-task');
  // The running task: Cancel, no Retry; its worker holds it.
  await page.goto(`${base}/workers/tasks/${tasks.running}`);
  assert.match(await page.locator('dl.task-facts').innerText(), /State\s+● Running/);
  assert.is(await page.locator('form[data-api$="/cancel"] button').innerText(), 'Cancel');
  assert.is(await page.locator('form[data-api$="/retry"]').count(), 0);
  assert.equal(await page.locator('ol.task-history li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state'))), ['pending', 'claimed', 'running']);
  // An unknown task is the 404 page.
  const res = await page.goto(`${base}/workers/tasks/tk-nope`);
  assert.is(res?.status(), 404);
  assert.equal(alerts, []);
  await page.context().close();
});

test('a read session sees the pages without Drain, Cancel or Retry', async () => {
  const page = await as(readToken, '/workers');
  await workerRow(page, workers.alpha).waitFor();
  assert.is(await page.locator('main form[data-api]').count(), 0);
  assert.is(await page.locator('table.workers th', { hasText: 'Actions' }).count(), 0);
  for (const id of [tasks.failed, tasks.running]) {
    await page.goto(`${base}/workers/tasks/${id}`);
    assert.is(await page.locator('main form[data-api]').count(), 0, id);
    assert.match(await page.locator('.task-actions').innerText(), /Your token may only read\./);
  }
  await page.context().close();
});

test('in Korean at phone width: the labels, states and the waiting sentence speak Korean, the page fits and passes axe', async () => {
  const page = await as(readToken, '/workers?lang=ko', { locale: 'ko-KR', width: 390 });
  assert.is(await page.getAttribute('html', 'lang'), 'ko');
  assert.is(await page.locator('h1').innerText(), '워커');
  assert.match(await page.locator('nav[aria-label="주 메뉴"] a[aria-current="page"]').innerText(), /워커/);
  assert.match(await page.locator('[data-figure="unroutable"]').innerText(), /워커를 기다리는 태스크/);
  assert.match(await page.locator('#workers-h').innerText(), /등록된 워커/);
  assert.match(await workerRow(page, workers.gamma).innerText(), /작업 중/);
  assert.match(await taskRow(page, tasks.gpu).innerText(), /낮음[\s\S]*워커 대기[\s\S]*대기: gpu 기능을 가진 온라인 워커가 없습니다/);
  assert.match(await taskRow(page, tasks.running).innerText(), /긴급[\s\S]*실행 중/);
  assert.match(await page.locator('form.filters').innerText(), /상태[\s\S]*우선순위[\s\S]*보기/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 1, `scrolls ${wide}px sideways at 390 px`);
  assert.equal(await axe(page), []);
  await screenshot(page, 'workers-ko-phone');
  await page.goto(`${base}/workers/tasks/${tasks.failed}?lang=ko`);
  assert.match(await page.locator('h1').innerText(), /^태스크 \S+\s+✕ 실패$/);
  assert.match(await page.locator('#task-history').innerText(), /이력/);
  assert.match(await page.locator('dl.task-facts').innerText(), /우선순위[\s\S]*높음[\s\S]*시도\s+1회 중 1회/);
  await noScript(page);
  await page.context().close();
});

test('Drain through the button turns the worker draining (and the deploy task then waits); Cancel ends the waiting task; a new task shows without a reload', async () => {
  const page = await as(writeToken, '/workers');
  const alpha = workerRow(page, workers.alpha);
  await alpha.locator('form[data-api$="/drain"] button').click();
  await page.locator(`table.workers tr[data-worker="${workers.alpha}"][data-state="draining"]`).waitFor({ timeout: 10_000 });
  assert.match(await alpha.innerText(), /↓ Draining/);
  assert.is(await alpha.locator('form[data-api]').count(), 0, 'no Drain once draining');
  assert.match(await page.locator('#flash').innerText(), /alpha takes no new tasks/);
  const drained = (await api('GET', '/api/workers', undefined, readToken) as Array<{ id: string; state: string }>).find((x) => x.id === workers.alpha);
  assert.is(drained?.state, 'draining');
  assert.match(await taskRow(page, tasks.deploy).innerText(), /waits: no online worker has deploy/);
  // Cancel the waiting gpu task from its page.
  await page.goto(`${base}/workers/tasks/${tasks.gpu}`);
  await page.locator('form[data-api$="/cancel"] button').click();
  await page.locator('article.task-detail[data-state="cancelled"]').waitFor({ timeout: 10_000 });
  assert.is((await task(tasks.gpu)).state, 'cancelled');
  assert.match(await page.locator('ol.task-history li[data-state="cancelled"]').innerText(), /cancelled by ci/);
  assert.is(await page.locator('form[data-api$="/retry"]').count(), 1, 'a cancelled task may be retried');
  // Live: a task submitted elsewhere appears on the open list.
  await page.goto(`${base}/workers`);
  await taskRow(page, tasks.deploy).waitFor();
  // The page follows /events from its load; the first beat takes the fingerprint the change is measured from.
  await page.waitForTimeout(1_500);
  const fresh = await submit({ type: 'live-one', priority: 'high', capabilities: ['build'] });
  await taskRow(page, fresh.id).waitFor({ timeout: 10_000 });
  assert.match(await taskRow(page, fresh.id).innerText(), /live-one[\s\S]*▲ High/);
  await eventually(async () => /Pending tasks\s+2/.test(await page.locator('[data-figure="pending"]').innerText()), { what: 'the figures refreshed' });
  assert.equal(alerts, []);
  await page.context().close();
});

test.run();
