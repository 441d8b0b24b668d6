// The optimization pages in a real Chromium against a real `serve --cron` on loopback. The
// project analyses three plugins every second from pushed metrics (`latency_ms`, `workers`) and
// one from a Prometheus server that does not answer; the test pushes an hour of samples through
// `POST /api/metrics`. Then: /optimization shows the two suggestions with their change, evidence
// chart, facts and Apply / Dismiss, the source in error and the plugin with too little data; a
// read session sees no buttons; the Korean page speaks Korean; a Dismiss reason with markup stays
// text in the history; Apply sent twice with one key runs the runbook once, the effect is
// measured, and the history and the suggestion's page show the verdict with before/after numbers
// and the run. axe finds nothing serious. The charts are also checked as SVG text.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { beforeAfterChart, evidenceChart, mergeBuckets } from '../../src/ui/optimization/charts.ts';
import { eventually, readToken, serveWorld, writeToken, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const xss = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const documents = `apiVersion: pluginops/v1
kind: Optimization
metadata: { id: pool }
spec:
  plugins: [resizer, beta, quiet]
  every: 1s
  window: 1h
  minSamples: 20
  minSpan: 10m
  metrics:
    latency_ms: { pushed: latency_ms, unit: ms }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency_ms
      current: workers
      target: 100
      apply: { runbook: scale_workers, with: { plugin: "\${{ plugin }}", workers: "\${{ value }}" } }
  verify: { warmUp: 1s, window: 3s, minSamples: 3 }
---
apiVersion: pluginops/v1
kind: Optimization
metadata: { id: cpu }
spec:
  plugins: [resizer]
  every: 1s
  metrics:
    cpu: { prometheus: 'rate(cpu_seconds_total{job="\${{ plugin }}"}[5m])', server: "http://127.0.0.1:9" }
  analyzers:
    resources: { cpu: cpu }
`;

interface Suggestion { id: string; plugin: string; state: string; etag: string; value?: number; previous?: number; run?: { id: string }; verification?: { before: { n: number }; after: { n: number } } }

const test = suite('dashboard: optimization');
let w: ServeWorld;
let browser: Browser;
let base: string;
const alerts: string[] = [];
const ids: Record<'resizer' | 'beta', string> = { resizer: '', beta: '' };

async function push(samples: Array<{ plugin: string; metric: string; value: number; timestamp: number }>): Promise<void> {
  const r = await w.api('POST', '/api/metrics', { token: writeToken, body: { samples } });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.is(r.body.data.rejected.length, 0, JSON.stringify(r.body.data.rejected));
}

const open = async (): Promise<Suggestion[]> => (await w.api('GET', '/api/optimization/suggestions', { token: readToken })).body.data;
const one = async (id: string): Promise<Suggestion> => (await w.api('GET', `/api/optimization/suggestions/${id}`, { token: readToken })).body.data;

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 50'], documents });
  await w.start(['--cron']);
  base = w.proc!.url;
  browser = await launch();
  // 40 samples over the last 50 minutes at 300 ms (three times the target) for two plugins, 5 for the third.
  const now = Date.now();
  const spread = (plugin: string, n: number, value: number) =>
    Array.from({ length: n }, (_, i) => ({ plugin, metric: 'latency_ms', value, timestamp: now - 50 * 60_000 + Math.round((i * 49 * 60_000) / (n - 1)) }));
  await push([...spread('resizer', 40, 300), ...spread('beta', 40, 300), ...spread('quiet', 5, 300)]);
  await push([
    ...[2, 2, 2].map((value, i) => ({ plugin: 'resizer', metric: 'workers', value, timestamp: now - (3 - i) * 60_000 })),
    ...[3, 3].map((value, i) => ({ plugin: 'beta', metric: 'workers', value, timestamp: now - (2 - i) * 60_000 })),
    { plugin: 'quiet', metric: 'workers', value: 1, timestamp: now - 60_000 },
  ]);
  const found = await eventually(async () => { const l = await open(); return l.length === 2 ? l : undefined; }, { timeoutMs: 20_000, what: 'two suggestions' });
  for (const s of found) ids[s.plugin as 'resizer' | 'beta'] = s.id;
});
test.after(async () => { await browser?.close(); await w.close(); });

async function as(token: string, path: string, o: { locale?: string; width?: number } = {}): Promise<Page> {
  const ctx = await context(browser, o);
  const page = await ctx.newPage();
  page.on('dialog', (d) => { if (d.type() === 'confirm') { void d.accept(); return; } alerts.push(d.message()); void d.dismiss(); });
  await signIn(page, base, token, path);
  return page;
}

const card = (page: Page, id: string) => page.locator(`article.suggestion[data-suggestion="${id}"]`);

test('the open suggestions: change, evidence chart with points, facts, Apply and Dismiss; the status names the failing source and the plugin with too little data', async () => {
  const page = await as(writeToken, '/optimization');
  const resizer = card(page, ids.resizer);
  assert.match(await resizer.locator('h2').innerText(), /resizer · scale_workers/);
  assert.match(await resizer.locator('p.change').innerText(), /^Change 2 → \d+ workers$/);
  assert.match(await resizer.locator('p.description').innerText(), /^Latency p90 \d+( ms)? is over the target 100( ms)?\. Raise workers from 2 to \d+\.$/);
  const chart = resizer.locator('svg.chart.evidence');
  const points = await chart.locator('circle.point').count();
  assert.ok(points > 0, 'the evidence chart has data points');
  assert.is(Number(await chart.getAttribute('data-points')), points);
  assert.match(await chart.locator('circle.point').first().locator('title').textContent() ?? '', /: mean 300 \(lowest 300, highest 300\), \d+ samples$/);
  assert.ok(await chart.locator('polyline.mean').count() === 1 && await chart.locator('.band').count() === 1, 'a mean line and a min–max band');
  assert.match(await resizer.locator('dd.confidence').innerText(), /^\d+% · (low|medium|high)$/);
  assert.match(await resizer.locator('dd.percentiles').innerText(), /^p50 \d+ · p90 \d+ · p95 \d+ · p99 \d+ · max \d+$/);
  assert.match(await resizer.locator('dl.facts').innerText(), /40 samples over 49 m/);
  assert.match(await resizer.locator('dl.facts').innerText(), /latency_ms down by about \d+%/);
  const s = (await open()).find((x) => x.id === ids.resizer)!;
  assert.match(await resizer.locator('ul.params').innerText(), new RegExp(`plugin: resizer\\s+workers: ${s.value}`));
  assert.is(await resizer.locator('form[data-api$="/apply"] input[name=etag]').inputValue(), s.etag);
  const keys = await page.locator('form[data-api$="/apply"] input[name=key]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  assert.is(keys.length, 2);
  assert.ok(keys[0] && keys[1] && keys[0] !== keys[1], 'an idempotency key per form');
  assert.is(await card(page, ids.beta).locator('form[data-api$="/dismiss"] input[name=reason]').count(), 1);
  // The status: the Prometheus source that does not answer, and the plugin with 5 samples.
  const source = page.locator('table.sources tr[data-metric="cpu"]');
  await source.waitFor({ timeout: 10_000 });
  assert.match(await source.innerText(), /resizer[\s\S]*cpu[\s\S]*✕ .+[\s\S]*never/);
  const note = page.locator('table.notes tr[data-reason="insufficient-data"]', { hasText: 'quiet' });
  assert.match(await note.first().innerText(), /quiet \(pool\)[\s\S]*workers[\s\S]*Too little data[\s\S]*5/);
  assert.equal(await axe(page), []);
  await screenshot(page, 'optimization');
  await page.context().close();
});

test('a read session sees the suggestions without Apply or Dismiss, and a note instead', async () => {
  const page = await as(readToken, '/optimization');
  await card(page, ids.resizer).waitFor();
  assert.ok(await page.locator('svg.chart.evidence circle.point').count() > 0);
  assert.is(await page.locator('main form[data-api]').count(), 0);
  assert.match(await page.locator('main').innerText(), /Your token may only read\./);
  await page.goto(`${base}/optimization/${ids.resizer}`);
  assert.is(await page.locator('main form[data-api]').count(), 0);
  assert.ok(await page.locator('svg.chart.evidence circle.point').count() > 0);
  await page.context().close();
});

test('in Korean: the menu, the headings and the suggestion\'s own Korean description', async () => {
  const page = await as(readToken, '/optimization?lang=ko', { locale: 'ko-KR', width: 390 });
  assert.is(await page.locator('h1').innerText(), '최적화');
  assert.match(await page.locator('nav[aria-label="주 메뉴"] a[aria-current="page"]').innerText(), /최적화/);
  assert.match(await card(page, ids.resizer).locator('p.description').innerText(), /워커를 2개에서 \d+개로 늘리세요\./);
  assert.match(await card(page, ids.resizer).locator('p.change').innerText(), /^변경 2 → \d+ workers$/);
  assert.match(await page.locator('table.notes').innerText(), /데이터 부족/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 1, `scrolls ${wide}px sideways at 390 px`);
  assert.equal(await axe(page), []);
  await screenshot(page, 'optimization-ko-phone');
  await page.context().close();
});

test('Dismiss with a reason holding markup: the suggestion leaves the list, and the history shows the reason as text', async () => {
  const page = await as(writeToken, '/optimization');
  const beta = card(page, ids.beta);
  await beta.locator('input[name=reason]').fill(xss);
  await beta.locator('form[data-api$="/dismiss"] button[type=submit]').click();
  await beta.waitFor({ state: 'detached', timeout: 10_000 });
  const stored = await one(ids.beta);
  assert.equal([stored.state, (stored as unknown as { reason: string }).reason], ['dismissed', xss]);
  await page.click('nav.opt-tabs a[href="/optimization/history"]');
  const row = page.locator(`tr[data-suggestion="${ids.beta}"]`);
  await row.waitFor();
  assert.match(await row.locator('td').nth(2).innerText(), /⊘ Dismissed/);
  assert.is(await row.locator('td.reason').innerText(), xss);
  assert.is(await page.locator('main script, main img').count(), 0);
  assert.equal(alerts, []);
  await page.context().close();
});

test('Apply sent twice with one key runs once; the effect is measured; the history and the suggestion\'s page show the verdict, the numbers and the run', async () => {
  // Latency is pushed as it happens: 300 ms before the change, 80 ms from the click on.
  let level = 300;
  const pusher = setInterval(() => { void push([{ plugin: 'resizer', metric: 'latency_ms', value: level, timestamp: Date.now() }]).catch(() => undefined); }, 150);
  try {
    const page = await as(writeToken, '/optimization');
    const resizer = card(page, ids.resizer);
    await resizer.waitFor();
    await new Promise((r) => setTimeout(r, 3_500));
    level = 80;
    // A double submit: both carry the same etag and idempotency key.
    await resizer.locator('form[data-api$="/apply"]').evaluate((f) => { (f as HTMLFormElement).requestSubmit(); (f as HTMLFormElement).requestSubmit(); });
    await page.locator('#flash.ok').waitFor({ timeout: 10_000 });
    const applied = await eventually(async () => { const s = await one(ids.resizer); return s.run ? s : undefined; }, { what: 'the apply run' });
    const runs = (await w.api('GET', '/api/executions?workflow=scale_workers', { token: readToken })).body.data as Array<{ id: string }>;
    assert.equal(runs.map((r) => r.id), [applied.run!.id], 'one run for two submits');
    await page.click('nav.opt-tabs a[href="/optimization/history"]');
    const row = page.locator(`tr[data-suggestion="${ids.resizer}"]`);
    await row.waitFor({ timeout: 30_000 });
    const ended = await one(ids.resizer);
    assert.ok(['succeeded', 'inconclusive', 'reverted', 'failed'].includes(ended.state), ended.state);
    assert.ok(ended.verification, 'measured');
    assert.is(await row.getAttribute('data-state'), ended.state);
    assert.match(await row.locator('td').nth(2).innerText(), /^[✓?↺✕] (Succeeded|Inconclusive|Reverted|Failed)$/);
    assert.match(await row.locator('ul.measured li[data-side="before"]').innerText(), /^Before: median \d+ · p90 \d+ · n \d+$/);
    assert.match(await row.locator('ul.measured li[data-side="after"]').innerText(), /^After: median \d+ · p90 \d+ · n \d+$/);
    assert.is(Number(await row.locator('svg.before-after g.side.before').getAttribute('data-n')), ended.verification!.before.n);
    assert.match(await row.locator('.change-value').innerText(), /^median [+−±]\d+(\.\d)?%, p [=<] \d\.\d{3}$/);
    assert.is(await row.locator(`a[href="/executions/${applied.run!.id}"]`).count(), 1);
    assert.equal(await axe(page), []);
    await screenshot(page, 'optimization-history');
    // The suggestion's page: the verdict, the timeline from open to its end, the run.
    await Promise.all([page.waitForURL((u) => u.pathname === `/optimization/${ids.resizer}`), row.locator(`a[href="/optimization/${ids.resizer}"]`).click()]);
    const states = await page.locator('ol.transitions li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-state')));
    assert.equal(states.slice(0, 4), ['active', 'approved', 'applying', 'verifying']);
    assert.is(states.at(-1), ended.state);
    assert.match(await page.locator('ol.transitions li[data-state="approved"]').innerText(), /\(by ci\)/);
    assert.ok(await page.locator('.verification svg.before-after rect.median').count() >= 1);
    assert.ok(await page.locator('svg.chart.evidence circle.point').count() > 0);
    assert.equal(await axe(page), []);
    await screenshot(page, 'optimization-suggestion');
    await Promise.all([page.waitForURL((u) => u.pathname === `/executions/${applied.run!.id}`), page.locator('#sg-runs ~ ul a[href^="/executions/"]').first().click()]);
    assert.match(await page.locator('h1').innerText(), new RegExp(applied.run!.id));
    assert.equal(alerts, []);
    await page.context().close();
  } finally { clearInterval(pusher); }
});

test('an unknown suggestion is the 404 page', async () => {
  const page = await as(readToken, '/optimization/sg-nope');
  const res = await page.goto(`${base}/optimization/sg-nope`);
  assert.is(res?.status(), 404);
  await page.context().close();
});

const charts = suite('optimization charts');
const t0 = Date.UTC(2026, 11, 7, 12);

charts('mergeBuckets: neighbours merged with the mean weighted by samples, the lowest low and highest high', () => {
  const merged = mergeBuckets([{ t: t0, mean: 10, min: 5, max: 20, n: 1 }, { t: t0 + 1, mean: 40, min: 30, max: 50, n: 3 }, { t: t0 + 2, mean: 1, min: 1, max: 1, n: 1 }], 2);
  assert.equal(merged, [{ t: t0, mean: 32.5, min: 5, max: 50, n: 4 }, { t: t0 + 2, mean: 1, min: 1, max: 1, n: 1 }]);
});

charts('evidenceChart: a point per bucket with its numbers, a band and the p90; a label cannot become markup; nothing to draw says so', () => {
  const svg = evidenceChart('en', [{ t: t0, mean: 100, min: 80, max: 150, n: 4 }, { t: t0 + 60_000, mean: 200, min: 150, max: 260, n: 2 }], { label: '<b>x</b>', p90: 240 }).text;
  assert.is((svg.match(/<circle class="point"/g) ?? []).length, 2);
  assert.match(svg, /data-points="2"/);
  assert.match(svg, /aria-label="&lt;b&gt;x&lt;\/b&gt;"/);
  assert.match(svg, /<title>7 Dec, 12:01 UTC: mean 200 \(lowest 150, highest 260\), 2 samples<\/title>/);
  assert.match(svg, /<polygon class="band"/);
  assert.match(svg, /<text class="p90"[^>]*>p90 240<\/text>/);
  assert.match(evidenceChart('ko', [], { label: 'x' }).text, /이 기간에 샘플이 없습니다/);
});

charts('beforeAfterChart: each side named with its numbers; a side without samples draws no bar', () => {
  const svg = beforeAfterChart('en', { before: { n: 12, median: 300, p90: 320, from: t0, to: t0 + 1 }, after: { n: 1, median: null, p90: null, from: t0, to: t0 + 1 } }, { label: 'b/a' }).text;
  assert.match(svg, /<title>Before: median 300, p90 320, 12 samples<\/title>/);
  assert.match(svg, /<title>After: not enough samples<\/title>/);
  assert.is((svg.match(/<rect class="median"/g) ?? []).length, 1);
});

charts.run();
test.run();
