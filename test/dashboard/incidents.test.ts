// The Incidents and Self-healing pages in a real Chromium against a real `serve --cron` on
// loopback: an incident opened by hand is on /incidents (filters narrow the list); its page shows
// its facts and evidence; a write session acknowledges it with a note and resolves it with a
// resolution from the page, and both reach its timeline by the page's own refresh; a remediation
// that healed a target takes feedback from the page; a failed one opens a breaker that
// /self-healing resets. A read-only session sees no buttons; a forged POST without the CSRF token
// and a stale token are refused with E_CSRF and a clear message; hostile titles, notes,
// resolutions and evidence render as text; an unknown id is a 404 page. axe finds nothing on the
// three pages, at desktop and phone widths.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { adminToken, apiDownDocuments, eventually, readToken, restartCommand, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard incidents and self-healing');
const xss = (what: string) => `${what} <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

const payments = (control: string) => `---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: payments-down, name: Payments down }
spec:
  source: { healthCheck: api }
  severity: warning
  notify: { channels: [ops-hook] }
  remediate:
    plan: restart_plugin
    with:
      plugin: "\${{ alert.labels.plugin }}"
      command: ${restartCommand(control)}
      healthUrl: "{service}/health"
    verify: { attempts: 1, interval: 200ms }
`;

let w: ServeWorld;
let base: string;
let browser: Browser;
let healed = '';
let broken = '';
const control = createServer((req, res) => {
  req.resume();
  // `payments` restarts fine; `broken` cannot be restarted.
  if (req.method === 'POST' && req.url === '/restart/payments') { res.end('ok'); return; }
  res.writeHead(500).end();
});

test.before(async () => {
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;
  w = await serveWorld({
    documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) + payments(controlUrl),
    monitoring: ['historySize: 20'],
    extraProject: ['remediation: { cooldown: 1m, breakerThreshold: 1 }'],
  });
  base = (await w.start()).url;
  // Remediation runs while the first tests do: one heals its target, the other fails and opens a breaker.
  [healed, broken] = await Promise.all([
    open({ title: 'payments down', severity: 'warning', category: 'system', ruleId: 'payments-down', labels: { plugin: 'payments' } }),
    open({ title: 'billing down', severity: 'warning', category: 'system', ruleId: 'payments-down', labels: { plugin: 'broken' } }),
  ]);
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await w?.close();
  await new Promise((r) => control.close(r));
});

async function open(body: Record<string, unknown>): Promise<string> {
  const r = await w.api('POST', '/api/incidents', { token: writeToken, body });
  assert.is(r.status, 201, JSON.stringify(r.body));
  return r.body.data.id as string;
}
const incident = async (id: string) => (await w.api('GET', `/api/incidents/${encodeURIComponent(id)}`, { token: readToken })).body.data;
const pagePath = (id: string) => `/incidents/${encodeURIComponent(id)}`;

/** A page that records any script the hostile texts would run. */
async function watched(token: string, o: { width?: number; locale?: string; dark?: boolean } = {}): Promise<{ page: Page; dialogs: string[]; close(): Promise<void> }> {
  const ctx = await context(browser, { ...(o.width ? { width: o.width, height: 800 } : {}), ...(o.locale ? { locale: o.locale } : {}), dark: o.dark ?? false });
  const page = await ctx.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => { if (d.type() === 'confirm') { void d.accept(); return; } dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, base, token, '/incidents');
  return { page, dialogs, close: () => ctx.close() };
}

async function noInjection(page: Page, dialogs: string[]): Promise<void> {
  assert.equal(dialogs, [], 'no dialog opened');
  assert.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no injected script ran');
  assert.is(await page.locator('main img, main script').count(), 0, 'no injected element');
}

async function fitsPhone(page: Page): Promise<void> {
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal page scroll');
}

let manual = '';

test('/incidents lists an incident opened by hand, as text; the filters narrow it; axe finds nothing', async () => {
  manual = await open({ title: xss('checkout answers 502'), severity: 'warning', category: 'performance', labels: { plugin: 'checkout', check: 'api' }, log: `12:00:01 ERROR upstream ${xss('log')}\n12:00:02 ERROR 502 on /checkout` });
  const { page, dialogs, close } = await watched(writeToken);
  try {
    assert.is(new URL(page.url()).pathname, '/incidents');
    const link = page.locator(`a[href="${pagePath(manual)}"]`);
    assert.is(await link.count(), 1);
    assert.match(await link.innerText(), /checkout answers 502 <script>window.__pwned = 1<\/script><img src=x onerror=/);
    assert.match(await page.locator('main tr', { has: link }).innerText(), /Open[\s\S]*Warning[\s\S]*Performance/);
    assert.equal(await axe(page), []);
    await screenshot(page, 'incidents');
    await page.selectOption('select[name=severity]', 'critical');
    await Promise.all([page.waitForURL(/severity=critical/), page.click('form.filters button')]);
    assert.is(await page.locator(`main a[href="${pagePath(manual)}"]`).count(), 0, 'a warning is not among the critical ones');
    await page.goto(`${base}/incidents?severity=warning&category=performance&status=open`);
    assert.is(await page.locator(`main a[href="${pagePath(manual)}"]`).count(), 1);
    await page.goto(`${base}/incidents?lang=ko`);
    assert.is(await page.locator('h1').innerText(), '인시던트');
    assert.match(await page.locator('main').innerText(), /열림[\s\S]*경고[\s\S]*성능/);
    await noInjection(page, dialogs);
  } finally { await close(); }
});

test('an incident\'s page: facts and evidence as text; acknowledge with a note and resolve from the page reach its timeline live', async () => {
  const { page, dialogs, close } = await watched(writeToken);
  try {
    await Promise.all([page.waitForURL((u) => u.pathname === pagePath(manual)), page.click(`main a[href="${pagePath(manual)}"]`)]);
    assert.match(await page.locator('h1').innerText(), /^checkout answers 502 <script>/);
    const facts = await page.locator('dl.facts').innerText();
    assert.match(facts, /Status\s+✕ Open/);
    assert.match(facts, /Opened by\s+ci/);
    assert.match(facts, /Check\s+api/);
    assert.match(facts, /plugin=checkout/);
    assert.match(await page.locator('.evidence').innerText(), /Reported by hand[\s\S]*12:00:01 ERROR upstream log <script>window.__pwned = 1<\/script><img src=x onerror=/);
    assert.equal(await axe(page), []);
    await screenshot(page, 'incident-open');
    await page.evaluate(() => { (window as unknown as { __same: number }).__same = 1; });

    await page.fill('#ack-note', xss('rolling back'));
    await page.click('form[data-api$="/acknowledge"] button[type=submit]');
    await page.locator('li[data-kind=acknowledged]').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('li[data-kind=acknowledged]').innerText(), /Acknowledged by ci[\s\S]*until resolved: rolling back <script>/);
    assert.match(await page.locator('#flash').innerText(), /acknowledged by ci/);
    assert.match(await page.locator('dl.facts').innerText(), /Status\s+! Acknowledged/);

    await page.fill('#resolution', xss('rolled back to 1.4.2'));
    await page.click('form[data-api$="/resolve"] button[type=submit]');
    await page.locator('li[data-kind=resolved]').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('li[data-kind=resolved]').innerText(), /Resolved by ci[\s\S]*rolled back to 1.4.2 <script>/);
    assert.match(await page.locator('dl.facts').innerText(), /Resolution\s+rolled back to 1.4.2 <img src=x|Resolution\s+rolled back to 1.4.2 <script>/);
    assert.is(await page.locator('form[data-api]').count(), 0, 'nothing left to do on a resolved incident without remediation');
    assert.is(await page.evaluate(() => (window as unknown as { __same?: number }).__same), 1, 'the page was not reloaded');
    const done = await incident(manual);
    assert.equal([done.status, done.acknowledgedBy, done.resolvedBy], ['resolved', 'ci', 'ci']);
    assert.equal(await axe(page), []);
    await screenshot(page, 'incident-resolved');
    await noInjection(page, dialogs);
  } finally { await close(); }
});

test('CSRF: a forged POST with the cookie but no token is refused (E_CSRF); a stale token says so in #flash', async () => {
  const id = await open({ title: 'queue is stuck', severity: 'danger', category: 'system', labels: { queue: 'jobs' } });
  const { page, close } = await watched(writeToken);
  try {
    await page.goto(`${base}${pagePath(id)}`);
    const forged = await page.evaluate(async (path) => {
      const r = await fetch(`/api${path}/acknowledge`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: '{"note":"forged"}' });
      return { status: r.status, body: await r.json() as { code: string; message: string } };
    }, pagePath(id));
    assert.is(forged.status, 403);
    assert.is(forged.body.code, 'E_CSRF');
    assert.match(forged.body.message, /CSRF token .*reload the page/);

    await page.evaluate(() => document.querySelector('meta[name="csrf-token"]')!.setAttribute('content', 'stale-token'));
    await page.fill('#ack-note', 'with a stale token');
    await page.click('form[data-api$="/acknowledge"] button[type=submit]');
    await eventually(async () => /E_CSRF/.test(await page.locator('#flash').innerText()), { what: 'the flash message' });
    assert.match(await page.locator('#flash').innerText(), /no CSRF token or a stale one .*reload the page and try again \(E_CSRF\)/);
    assert.is(await page.locator('#flash').getAttribute('role'), 'status');
    assert.is((await incident(id)).status, 'open', 'neither request acknowledged it');
  } finally { await close(); }
});

test('a read-only session sees the pages without buttons; an unknown id is a 404 page', async () => {
  const { page, close } = await watched(readToken, { width: 390 });
  try {
    const id = await open({ title: 'disk almost full', severity: 'warning', category: 'system', labels: { disk: 'sda' } });
    await page.goto(`${base}${pagePath(id)}`);
    assert.is(await page.locator('form[data-api]').count(), 0);
    assert.match(await page.locator('main').innerText(), /Your token may only read\./);
    await fitsPhone(page);
    assert.equal(await axe(page), []);
    await screenshot(page, 'incident-read-only-phone');
    await page.goto(`${base}/incidents`);
    await fitsPhone(page);
    await screenshot(page, 'incidents-phone');
    const missing = await page.goto(`${base}/incidents/no-such-incident:1`);
    assert.is(missing?.status(), 404);
    assert.is(await page.locator('h1').innerText(), 'Not found');
    assert.match(await page.locator('main').innerText(), /no incident `no-such-incident:1`/);
  } finally { await close(); }
});

test('a healed incident takes feedback from its page; a failed remediation opens a breaker that /self-healing resets', async () => {
  await eventually(async () => (await incident(healed)).status === 'resolved', { what: 'the remediation to heal payments', timeoutMs: 30_000 });
  await eventually(async () => (await w.api('GET', '/api/remediation/breakers', { token: readToken })).body.data.length === 1, { what: 'the breaker of broken', timeoutMs: 30_000 });
  const ro = await watched(readToken, { width: 390 });
  try {
    await ro.page.goto(`${base}/self-healing`);
    assert.is(await ro.page.locator('form[data-api]').count(), 0, 'no reset and no controls for a read token');
    assert.match(await ro.page.locator('table.breakers').innerText(), /broken/);
    await fitsPhone(ro.page);
    await screenshot(ro.page, 'self-healing-phone');
  } finally { await ro.close(); }
  const { page, dialogs, close } = await watched(writeToken);
  try {
    await page.goto(`${base}${pagePath(healed)}`);
    assert.match(await page.locator('main').innerText(), /Remediation verified/);
    const runLink = page.locator('table.remediations a[href^="/executions/"]');
    assert.is(await runLink.count(), 1);
    await page.check('input[name=positive][value=true]');
    await page.fill('#fb-reason', xss('back in seconds'));
    await page.click('form[data-api$="/feedback"] button[type=submit]');
    await page.locator('li[data-kind=feedback-good]').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('li[data-kind=feedback-good]').innerText(), /ci said the remediation helped[\s\S]*back in seconds <script>/);
    assert.equal(await axe(page), []);
    await screenshot(page, 'incident-healed');

    await page.goto(`${base}/self-healing`);
    const breaker = page.locator('table.breakers tr', { hasText: 'broken' });
    assert.match(await breaker.innerText(), /restart_plugin[\s\S]*broken[\s\S]*Open/);
    assert.match(await page.locator('table.patterns').innerText(), /payments-down[\s\S]*restart_plugin/);
    const recent = page.locator('table.remediations');
    assert.is(await recent.locator(`a[href="${pagePath(healed)}"]`).count(), 1);
    assert.is(await recent.locator(`a[href="${pagePath(broken)}"]`).count(), 1);
    assert.match(await recent.innerText(), /Fixed[\s\S]*Failed|Failed[\s\S]*Fixed/);
    assert.match(await page.locator('#controls-h + dl').innerText(), /Self-healing\s+✓ On/);
    assert.equal(await axe(page), []);
    await screenshot(page, 'self-healing');
    await breaker.locator('form[data-api="POST /api/remediation/breakers/reset"] button').click();
    await page.locator('text=No breaker is open').waitFor({ timeout: 10_000 });
    assert.equal((await w.api('GET', '/api/remediation/breakers', { token: readToken })).body.data, []);
    await noInjection(page, dialogs);
  } finally { await close(); }

});

test('in Korean, dark, at phone width: the three pages speak Korean, fit, and pass axe', async () => {
  const { page, dialogs, close } = await watched(writeToken, { width: 390, locale: 'ko-KR', dark: true });
  try {
    for (const [name, path, h1] of [['incidents', '/incidents?status=all', '인시던트'], ['incident', pagePath(manual), undefined], ['self-healing', '/self-healing', '자가 치유']] as const) {
      const res = await page.goto(`${base}${path}`);
      assert.is(res?.status(), 200, path);
      if (h1) assert.is(await page.locator('h1').innerText(), h1);
      assert.is(await page.locator('h1').count(), 1);
      await fitsPhone(page);
      assert.equal(await axe(page), [], path);
      await screenshot(page, `phone-ko-dark-${name}`);
    }
    assert.match(await page.locator('main').innerText(), /서킷 브레이커[\s\S]*학습한 패턴[\s\S]*최근 복구 실행/);
    await page.goto(`${base}${pagePath(manual)}`);
    assert.match(await page.locator('main').innerText(), /타임라인[\s\S]*ci이\(가\) 확인했습니다[\s\S]*ci이\(가\) 해결했습니다/);
    await noInjection(page, dialogs);
  } finally { await close(); }
});

test('an admin turns self-healing off and on from /self-healing; the change shows live', async () => {
  const { page, dialogs, close } = await watched(adminToken);
  try {
    await page.goto(`${base}/self-healing`);
    assert.is(await page.locator('form[data-api="POST /api/remediation/breakers/reset"]').count(), 0, 'admin is not write: no reset');
    await page.fill('#heal-off-reason', xss('deploy freeze'));
    await page.click('form[data-api="POST /api/controls/self-healing"] button[type=submit]');
    await page.locator('#heal-on-reason').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#controls-h + dl').innerText(), /Self-healing\s+✕ Off everywhere[\s\S]*deploy freeze <script>/);
    assert.is((await w.api('GET', '/api/controls', { token: readToken })).body.data.selfHealing.enabled, false);
    await page.fill('#heal-on-reason', 'freeze over');
    await page.click('form[data-api="POST /api/controls/self-healing"] button[type=submit]');
    await page.locator('#heal-off-reason').waitFor({ timeout: 10_000 });
    assert.is((await w.api('GET', '/api/controls', { token: readToken })).body.data.selfHealing.enabled, true);
    // Off for one rule, and back on for it from its own button.
    await page.fill('#heal-off-rule', 'api-down');
    await page.fill('#heal-off-reason', 'noisy rule');
    await page.click('form[data-api="POST /api/controls/self-healing"] button[type=submit]');
    await page.locator('#heal-on-rule-0').waitFor({ timeout: 10_000 });
    assert.match(await page.locator('#heal-on-rule-0').locator('xpath=ancestor::form').innerText(), /Turn on for api-down/);
    assert.equal((await w.api('GET', '/api/controls', { token: readToken })).body.data.selfHealing.off.map((o: { rule?: string }) => o.rule), ['api-down']);
    await page.fill('#heal-on-rule-0', 'quiet again');
    await page.locator('#heal-on-rule-0').locator('xpath=ancestor::form').locator('button[type=submit]').click();
    await eventually(async () => (await w.api('GET', '/api/controls', { token: readToken })).body.data.selfHealing.off.length === 0, { what: 'the rule back on' });
    await page.locator('#heal-on-rule-0').waitFor({ state: 'detached', timeout: 10_000 });
    await noInjection(page, dialogs);
  } finally { await close(); }
});

test('the list pages by the API\'s cursor: Next and Previous keep the filters', async () => {
  await Promise.all(Array.from({ length: 52 }, (_, n) => open({ title: `backup ${n} failed`, severity: 'info', category: 'backup', labels: { n: String(n) } })));
  const { page, close } = await watched(readToken);
  try {
    await page.goto(`${base}/incidents?category=backup`);
    const rows = page.locator('table.incidents tbody tr');
    assert.is(await rows.count(), 50);
    const first = await rows.allInnerTexts();
    await Promise.all([page.waitForURL(/cursor=/), page.click('a[rel=next]')]);
    assert.match(page.url(), /category=backup/);
    assert.is(await rows.count(), 2);
    assert.not.ok((await rows.allInnerTexts()).some((r) => first.includes(r)), 'no row twice');
    assert.is(await page.locator('a[rel=next]').count(), 0, 'the last page');
    await Promise.all([page.waitForURL((u) => !u.searchParams.has('cursor')), page.click('a[rel=prev]')]);
    assert.equal(await rows.allInnerTexts(), first);
    assert.equal(await axe(page), []);
  } finally { await close(); }
});

test.run();
