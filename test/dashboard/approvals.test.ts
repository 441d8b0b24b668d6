// The Approvals and Runbooks pages in a real Chromium against a real `serve` on loopback: an action
// plan that requires approval (four eyes) with typed parameters is started from its runbook's Run
// form and waits; its requester is refused (four eyes, the API's message shown); an approver's
// Modify with a value the declaration refuses is refused with the API's message and changes
// nothing; a Modify with good values approves it, and the run uses them (its step's outputs); a
// Reject with a reason ends another run. A read-only session sees no Approve, Reject or Run;
// names, descriptions and parameter values are shown as text; axe finds nothing serious.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { adminToken, eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const xss = '<img src=x onerror=alert(1)>';

const plan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: resize_pool, name: "Resize pool ${xss}" }
spec:
  description: "Changes how many workers the pool runs. ${xss}"
  category: performance
  parameters:
    workers: { type: number, default: 2, description: Workers to run }
    pool: { type: string, pattern: "^[a-z]+$", default: main, description: The pool }
    tier: { type: string, enum: [small, large], default: small }
    drain: { type: boolean, default: false }
    note: { type: string, default: "" }
  approval: { required: true, fourEyes: true, timeout: 1h }
  steps:
    - id: resize
      env: { N: "\${{ params.workers }}", POOL: "\${{ params.pool }}", TIER: "\${{ params.tier }}", DRAIN: "\${{ params.drain }}" }
      run: |
        echo "resizing $POOL to $N workers ($TIER, drain=$DRAIN)"
        echo "workers=$N" >> "$PLUGINOPS_OUTPUT"
        echo "pool=$POOL" >> "$PLUGINOPS_OUTPUT"
        echo "tier=$TIER" >> "$PLUGINOPS_OUTPUT"
        echo "drain=$DRAIN" >> "$PLUGINOPS_OUTPUT"
---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: purge_cache, name: Purge cache }
spec:
  category: maintenance
  approval: { required: true, quorum: 2 }
  steps:
    - id: purge
      run: echo purged
---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: restart_api, name: Restart the API }
spec:
  category: maintenance
  approval: { required: true }
  steps:
    - id: restart
      run: echo restarted
---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec: { type: http, url: "{service}/health", interval: 500ms, stagger: 0s, timeout: 1s, failureThreshold: 2, successThreshold: 1 }
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down }
spec:
  source: { healthCheck: api }
  severity: critical
  summary: "API down ${xss}"
  notify: { channels: [ops-hook], escalate: false }
  remediate: { plan: restart_api }
`;

const test = suite('dashboard: approvals and runbooks');
let w: ServeWorld;
let browser: Browser;
let base: string;
const alerts: string[] = [];

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents: plan });
  base = (await w.start(['--cron'])).url;
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await w?.close();
});

const run = async (id: string) => {
  const r = await w.api('GET', `/api/runs/${id}`, { token: readToken });
  assert.is(r.status, 200, JSON.stringify(r.body));
  return r.body.data;
};

const waiting = (id: string) => eventually(async () => (await run(id)).status === 'waiting', { what: `run ${id} to wait` });

async function signedIn(token: string, next: string, o: { width?: number; dark?: boolean } = {}): Promise<Page> {
  const page = await (await context(browser, o)).newPage();
  page.on('dialog', (d) => {
    if (d.type() === 'confirm') return void d.accept();
    alerts.push(d.message());
    return void d.dismiss();
  });
  await signIn(page, base, token, next);
  return page;
}

async function flash(page: Page, pattern: RegExp): Promise<string> {
  await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('flash')?.textContent ?? ''), pattern.source, { timeout: 10_000 });
  return (await page.textContent('#flash')) ?? '';
}

/** Nothing injected became markup: no <img src=x>, and the text shows as it was written. */
async function assertInert(page: Page): Promise<void> {
  assert.is(await page.locator('img[src="x"]').count(), 0, 'no injected element');
  assert.ok((await page.textContent('main'))!.includes(xss), 'the text shows as written');
  assert.equal(alerts, []);
}

let formRun = '';

test('/runbooks lists the plan with its typed parameters; its page runs it from a form generated from them', async () => {
  const page = await signedIn(adminToken, '/runbooks');
  assert.is(await page.textContent('h1'), 'Runbooks');
  const row = page.locator('table.runbooks tr', { hasText: 'resize_pool' });
  assert.match((await row.textContent())!, /workers[\s\S]*number · default 2/);
  assert.match((await row.textContent())!, /needs approval/);
  assert.ok(await page.locator('table.runbooks tr', { hasText: 'restart_plugin' }).count(), 'the shipped templates are listed too');
  await assertInert(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'runbooks');

  await page.click('a[href="/runbooks/resize_pool"]');
  await page.waitForURL(`${base}/runbooks/resize_pool`);
  assert.is(await page.getAttribute('#p-workers', 'type'), 'number');
  assert.is(await page.getAttribute('#p-workers', 'data-type'), 'number');
  assert.is(await page.inputValue('#p-workers'), '2');
  assert.is(await page.getAttribute('#p-drain', 'type'), 'checkbox');
  assert.is(await page.getAttribute('#p-drain', 'data-type'), 'boolean');
  assert.is(await page.evaluate(() => document.getElementById('p-tier')!.tagName), 'SELECT');
  assert.is(await page.inputValue('#p-tier'), 'small');
  assert.is(await page.inputValue('#p-pool'), 'main');
  await assertInert(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'runbook');

  await page.fill('#p-workers', '3');
  await page.selectOption('#p-tier', 'large');
  await page.fill('#p-note', xss);
  await Promise.all([page.waitForURL(/\/executions\/[^/]+$/), page.click('form.run-form button[type=submit]')]);
  formRun = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  await waiting(formRun);
  const r = await run(formRun);
  assert.equal([r.requestedBy, r.parameters.workers, r.parameters.tier, r.parameters.note], ['ops-admin', 3, 'large', xss]);

  // The requester may not approve it (four eyes): the API's refusal is shown, nothing recorded.
  await page.goto(`${base}/approvals`);
  const own = page.locator('article.approval', { hasText: formRun });
  assert.match((await own.locator('.hint').textContent())!, /You \(ops-admin\) started this run: under four eyes you may reject it but not approve it/);
  await own.locator('form.approve button').click();
  assert.match(await flash(page, /four eyes/), /ops-admin started run .* may not approve it \(four eyes\)/);
  assert.equal((await run(formRun)).approvals.approval.decisions, []);
  // In Korean the outcome is said in Korean first, the API's own words after it.
  await page.goto(`${base}/approvals?lang=ko`);
  await own.locator('form.approve button').click();
  assert.match(await flash(page, /four eyes/), /^[^:]+: 거부되었습니다\. .*\(four eyes\)/);
  await page.goto(`${base}/approvals?lang=en`);

  await page.goto(`${base}/runbooks/resize_pool?lang=ko`);
  assert.match((await page.textContent('main'))!, /실행은 첫 단계 전에 승인을 기다립니다[\s\S]*숫자 · 기본값 2/);
  assert.equal(await axe(page), []);
  await screenshot(page, 'runbook-ko');
});

test('/approvals: what the run will do and why; a refused value shows the API\'s message; Modify approves with typed values that the run uses', async () => {
  const page = await signedIn(writeToken, '/approvals');
  const card = page.locator('article.approval', { hasText: formRun });
  assert.is(await card.locator('.hint').count(), 0, 'nothing stands in ci\'s way');
  const text = (await card.textContent())!;
  for (const part of ['Resize pool', 'resize_pool', 'performance', 'ops-admin', 'resize', 'anyone with write access', '0 of 1 approvals', 'whoever started the run may not approve it']) {
    assert.ok(text.includes(part), `the card shows ${part}`);
  }
  assert.ok(await card.locator('time').count() >= 2, 'asked at and the deadline');
  await assertInert(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'approvals');
  await page.goto(`${base}/approvals?lang=ko`);
  assert.is(await page.textContent('h1'), '승인');
  assert.match((await card.textContent())!, /정족수[\s\S]*승인 1건 중 0건/);
  assert.equal(await axe(page), []);
  await screenshot(page, 'approvals-ko');
  await page.goto(`${base}/approvals?lang=en`);

  await card.locator('details.modify summary').click();
  const modify = card.locator('form.modify-form');
  assert.is(await modify.locator('input[name="values.workers"]').getAttribute('data-type'), 'number');
  assert.is(await modify.locator('input[name="values.workers"]').inputValue(), '3');
  assert.not.match(await modify.innerText(), /default 3/, 'the run\'s value is where the input starts, not called a default');
  assert.is(await modify.locator('input[name="values.drain"]').getAttribute('data-type'), 'boolean');
  await modify.locator('input[name="values.pool"]').fill('BAD POOL');
  await modify.locator('button[type=submit]').click();
  assert.match(await flash(page, /expected text matching/), /value `pool` is "BAD POOL", expected text matching \/\^\[a-z\]\+\$\//);
  assert.is((await run(formRun)).status, 'waiting');
  assert.equal((await run(formRun)).approvals.approval.decisions, []);

  await modify.locator('input[name="values.pool"]').fill('blue');
  await modify.locator('input[name="values.workers"]').fill('5');
  await modify.locator('input[name="values.drain"]').check();
  await modify.locator('input[name="comment"]').fill('more for the sale');
  await modify.locator('button[type=submit]').click();
  await flash(page, /approved/);
  const done = await eventually(async () => { const r = await run(formRun); return r.status === 'success' && r; }, { what: 'the approved run to finish' });
  assert.equal(done.steps.resize.outputs, { workers: '5', pool: 'blue', tier: 'large', drain: 'true' });
  const decision = done.approvals.approval.decisions[0];
  assert.equal([decision.by, decision.via, decision.comment, decision.values.workers, decision.values.pool, decision.values.drain], ['ci', 'api', 'more for the sale', 5, 'blue', true]);
  await eventually(async () => (await card.count()) === 0, { what: 'the decided run to leave the page' });
  assert.equal(alerts, []);
});

test('live: new waiting runs and a first approval of two appear without a reload; a read-only session sees no Approve, Reject or Run; Reject with a reason ends a run', async () => {
  const ro = await signedIn(readToken, '/approvals', { width: 390 });
  assert.match((await ro.textContent('main'))!, /No run is waiting for a decision/);
  const started = await w.api('POST', '/api/runs', { token: adminToken, body: { templateId: 'resize_pool', data: { note: xss } } });
  assert.is(started.status, 202, JSON.stringify(started.body));
  const id = started.body.data.id as string;
  const quorum = (await w.api('POST', '/api/runs', { token: adminToken, body: { templateId: 'purge_cache' } })).body.data.id as string;
  await waiting(id);
  await waiting(quorum);
  const card = ro.locator('article.approval', { hasText: id });
  const other = ro.locator('article.approval', { hasText: quorum });
  await eventually(async () => (await card.count()) === 1 && (await other.count()) === 1, { what: 'the waiting runs to appear on the open page' });
  assert.is(await ro.locator('form[data-api]').count(), 0, 'no Approve, Reject or Modify');
  assert.match((await ro.textContent('main'))!, /Your token may only read/);
  assert.ok(await ro.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
  await assertInert(ro);
  assert.equal(await axe(ro), []);
  await screenshot(ro, 'approvals-read-only-390');
  const first = await w.api('POST', `/api/runs/${quorum}/approve`, { token: writeToken, body: { comment: 'one of two' } });
  assert.is(first.body.data.outcome, 'waiting');
  await eventually(async () => /1 of 2 approvals[\s\S]*approved ci via api/.test((await other.textContent()) ?? ''), { what: 'the first approval to show on the open page' });
  await ro.goto(`${base}/runbooks/resize_pool`);
  assert.is(await ro.locator('form[data-api]').count(), 0, 'no Run form');
  assert.match((await ro.textContent('main'))!, /Your token may only read/);
  assert.ok(await ro.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
  await screenshot(ro, 'runbook-read-only-390');
  await ro.goto(`${base}/runbooks`);
  assert.ok(await ro.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
  await screenshot(ro, 'runbooks-read-only-390');

  const page = await signedIn(writeToken, '/approvals', { dark: true });
  const mine = page.locator('article.approval', { hasText: id });
  assert.match((await page.locator('article.approval', { hasText: quorum }).locator('.hint').textContent())!, /You \(ci\) have already answered/);
  await mine.locator('form.reject input[name="comment"]').fill('not during the sale');
  await mine.locator('form.reject button').click();
  await flash(page, /rejected/);
  const r = await eventually(async () => { const x = await run(id); return x.status === 'failed' && x; }, { what: 'the rejected run to fail' });
  assert.equal([r.approvals.approval.status, r.approvals.approval.decisions[0].comment, r.approvals.approval.decisions[0].by], ['rejected', 'not during the sale', 'ci']);
  await page.goto(`${base}/runbooks?category=performance&status=failed`);
  assert.ok(await page.locator('table.runs tr', { hasText: id }).count(), 'the rejected run is among the recent failed runs');
  assert.is(await page.locator('table.runs tr', { hasText: formRun }).count(), 0, 'the successful one is filtered out');
  assert.equal(await axe(page), []);
  await screenshot(page, 'runbooks-dark-filtered');
  assert.equal(alerts, []);
});

test('a run self-healing started shows the incident that triggered it, linked', async () => {
  w.service.mode = 'down';
  const id = await eventually(async () => (await w.api('GET', '/api/runs?status=waiting&templateId=restart_api', { token: readToken })).body.data[0]?.id as string | undefined, { what: 'the remediation to wait for approval', timeoutMs: 20_000 });
  const r = await run(id);
  assert.ok(r.trigger.incident, 'the run names its incident');
  const page = await signedIn(writeToken, '/approvals');
  const card = page.locator('article.approval', { hasText: id });
  const link = card.locator(`a[href="/incidents/${encodeURIComponent(r.trigger.incident)}"]`);
  assert.is(await link.textContent(), `API down ${xss}`);
  assert.match((await card.textContent())!, /Incident[\s\S]*critical[\s\S]*opened[\s\S]*Rule\s*api-down[\s\S]*Check\s*api/);
  await assertInert(page);
  assert.equal(await axe(page), []);
  await screenshot(page, 'approvals-incident');
});

test('/runs/{id} leads to the execution page; unknown runs and plans are 404 pages', async () => {
  const res = await fetch(`${base}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: readToken, next: '/' }) });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const to = await fetch(`${base}/runs/${formRun}`, { redirect: 'manual', headers: { cookie } });
  assert.is(to.status, 303);
  assert.is(to.headers.get('location'), `/executions/${formRun}`);
  assert.is((await fetch(`${base}/runs/nope`, { redirect: 'manual', headers: { cookie } })).status, 404);
  assert.is((await fetch(`${base}/runbooks/nope`, { headers: { cookie } })).status, 404);
  const api = await w.api('GET', '/api/runbooks/resize_pool', { token: readToken });
  assert.equal([api.body.data.parameters.workers, api.body.data.approval.fourEyes, api.body.data.steps.map((s: { id: string }) => s.id)], [{ type: 'number', default: 2, description: 'Workers to run' }, true, ['resize']]);
});

test.run();
