// The failure risk on the dashboard, in a real Chromium against a real `serve`, over executions
// created through the store before it starts: the execution page's Risk panel (the level in
// words, score and probability, the factors with their details, the change and its most complex
// touched functions), the reason when there is no score, no panel without an assessment, hostile
// text shown as text, Korean labels; and the statistics page's risk trend (mean score beside the
// observed failure rate) or, without assessed runs, a sentence saying so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { FunctionComplexity, RiskAssessment } from '../../src/store/risk.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionRecord } from '../../src/store/types.ts';
import { apiDownDocuments, readToken, serveWorld, type ServeWorld } from '../serve/helpers.ts';
import { axe, context, launch, screenshot, signIn } from './browser.ts';

const test = suite('dashboard risk');
const dayMs = 86_400_000;
const xss = '<img src=x onerror=alert(1)>';
let w: ServeWorld;
let browser: Browser;
let base: string;
const dialogs: string[] = [];

const today = Math.floor(Date.now() / dayMs) * dayMs;
const dayOf = (daysAgo: number) => new Date(today - daysAgo * dayMs).toISOString().slice(0, 10);

/** Ten touched functions of complexity 1 to 10, and a hostile one, the most complex. */
const functions: FunctionComplexity[] = [
  { file: `plugins/shop/${xss}.py`, name: xss, line: 40, endLine: 90, complexity: 17, language: 'python' },
  ...Array.from({ length: 10 }, (_, i): FunctionComplexity => ({ file: 'plugins/shop/backend/cart.py', name: `Cart.step${i + 1}`, line: 10 * (i + 1), endLine: 10 * (i + 1) + 5, complexity: i + 1, language: 'python' })),
];

const assessed: RiskAssessment = {
  score: 0.72, probability: 0.64, level: 'high', confidence: 'medium', history: 14, at: new Date(today).toISOString(),
  factors: [
    { name: 'workflowFailures', value: 0.3, weight: 0.2, detail: '3 of the last 10 runs failed' },
    { name: 'changeSize', value: 0.9, weight: 0.15, detail: `480 lines in 12 files ${xss}` },
    { name: 'untestedChange', value: 1, weight: 0.1, detail: '3 source files changed, no test' },
    { name: 'complexity', value: 0.85, weight: 0.1, detail: 'Highest complexity 17' },
  ],
  change: {
    base: 'a'.repeat(40), head: 'b'.repeat(40), files: 12, linesAdded: 400, linesDeleted: 80,
    manifests: ['plugins/shop/config/plugin.json'], dependencyFiles: [`plugins/shop/${xss}/requirements.txt`],
    codeFiles: 3, testFiles: 0, functions, maxComplexity: 17,
    unmeasured: [{ file: 'plugins/shop/backend/broken.py', reason: `a syntax error ${xss}` }],
  },
};
const unscored: RiskAssessment = {
  score: null, level: 'unknown', confidence: 'low', history: 2, at: new Date(today).toISOString(),
  reason: 'not enough data: 2 finished runs of deploy, 5 are needed', factors: [],
};
const scored = (score: number, level: RiskAssessment['level']): RiskAssessment => ({ score, level, confidence: 'high', history: 30, at: new Date(today).toISOString(), factors: [] });

/** A finished execution created `daysAgo` days before today's midnight (plus `seconds`). */
const record = (id: string, workflow: string, status: ExecutionRecord['status'], daysAgo: number, seconds: number, risk?: RiskAssessment): ExecutionRecord => {
  const created = today - daysAgo * dayMs + seconds * 1000;
  return {
    id, workflow, parameters: {}, status, createdAt: new Date(created).toISOString(), startedAt: new Date(created).toISOString(),
    endedAt: new Date(created + 2000).toISOString(), durationMs: 2000, steps: {}, artifacts: [], ...(risk ? { risk } : {}),
  };
};

test.before(async () => {
  w = await serveWorld({ monitoring: ['historySize: 10'], documents: apiDownDocuments({ failureThreshold: 2, channels: ['ops-hook'] }) });
  const store = await openFileStore(join(w.dir, '.pluginops'));
  // Today: one high-risk run that failed, one without a score, one never assessed.
  await store.create(record('risky', 'deploy', 'failed', 0, 1, assessed));
  await store.create(record('unscored', 'deploy', 'success', 0, 2, unscored));
  await store.create(record('plain', 'quiet', 'success', 0, 3));
  // Yesterday: two assessed runs, one failed; three days ago: one that succeeded.
  await store.create(record('a1', 'deploy', 'success', 1, 1, scored(0.3, 'low')));
  await store.create(record('a2', 'deploy', 'failed', 1, 2, scored(0.5, 'medium')));
  await store.create(record('a3', 'deploy', 'success', 3, 1, scored(0.1, 'low')));
  await store.close();
  base = (await w.start([])).url;
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await w.close();
});

async function open(path: string, o: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const page = await (await context(browser, o)).newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, base, readToken, path);
  return page;
}

const squeeze = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
/** A description list as "term: description" lines. */
const terms = (list: Locator) => list.evaluate((dl) => [...dl.querySelectorAll('dt')].map((dt) =>
  `${(dt.textContent ?? '').trim()}: ${(dt.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim()}`));
const cells = (page: Page, table: string) => page.locator(`table.${table} tbody tr`).evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));

test('the execution page shows the risk panel: level in words, score, probability, factors with details, the change and its functions', async () => {
  const page = await open('/executions/risky');
  const panel = page.locator('section.risk');
  assert.is(await panel.locator('h2').textContent(), 'Risk');
  assert.is(squeeze(await panel.locator('.risk-level').textContent()), '✕ High risk');
  const facts = await terms(panel.locator('dl.risk-facts'));
  assert.equal(facts.slice(0, 5), ['Level: ✕ High risk', 'Score: 72%', 'Probability of failure: 64%', 'Confidence: medium', 'History: 14 finished runs of this workflow']);
  // Factors, the ones weighing most first (value × weight): change size .135, untested .1, complexity .085, workflow failures .06.
  const factors = await cells(page, 'risk-factors');
  assert.equal(factors.map((r) => r[0]), ['Size of the change', 'Code changed without tests', 'Complexity of the touched functions', 'Recent failures of the workflow']);
  assert.equal(factors[0], ['Size of the change', '90%', '0.15', `480 lines in 12 files ${xss}`]);
  assert.equal(factors[3], ['Recent failures of the workflow', '30%', '0.20', '3 of the last 10 runs failed']);
  assert.is(await panel.locator('table.risk-factors .bar-track .bar.bad').count(), 3, 'bars for 85%, 90% and 100% in the bad tone');
  // The change: files, lines, manifests, dependency files, no test changed.
  assert.equal(await terms(panel.locator('dl.risk-change')), [
    'Commits: aaaaaaaaaaaa → bbbbbbbbbbbb', 'Files changed: 12', 'Lines: +400 −80400 added, 80 deleted', 'Source files changed: 3',
    'Tests: ! No test file changed', 'Manifests: plugins/shop/config/plugin.json', `Dependency files: plugins/shop/${xss}/requirements.txt`,
    'Highest complexity: 17',
  ]);
  // The 8 most complex of the 11 touched functions, the hostile one first.
  assert.match(await panel.textContent() ?? '', /The 8 most complex of 11\./);
  const fns = await cells(page, 'risk-functions');
  assert.is(fns.length, 8);
  assert.equal(fns[0], [xss, `plugins/shop/${xss}.py:40`, '17', 'python']);
  assert.equal(fns[1], ['Cart.step10', 'plugins/shop/backend/cart.py:100', '10', 'python']);
  assert.not.ok(fns.some((r) => r[0] === 'Cart.step2'), 'the least complex are left out');
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-risk');
  await page.context().close();
});

test('hostile text in a factor detail, a function name, a file path and a reason is shown as text, never as markup', async () => {
  const page = await open('/executions/risky');
  const panel = page.locator('section.risk');
  assert.is(await page.locator('img[src="x"]').count(), 0);
  assert.is(await panel.locator('img').count(), 0);
  assert.is(await panel.locator('td.risk-detail', { hasText: xss }).count(), 1);
  assert.is(await panel.locator('table.risk-functions code', { hasText: xss }).count(), 2);
  assert.is(await panel.locator('ul.risk-files code', { hasText: `plugins/shop/${xss}/requirements.txt` }).count(), 1);
  assert.match(await panel.locator('ul.risk-unmeasured').textContent() ?? '', /broken\.py: a syntax error <img src=x onerror=alert\(1\)>/);
  await page.waitForTimeout(200);
  assert.equal(dialogs, []);
  await page.context().close();
});

test('a risk without a score shows why; a run never assessed has no panel', async () => {
  const page = await open('/executions/unscored');
  const panel = page.locator('section.risk');
  assert.is(squeeze(await panel.locator('.risk-level').textContent()), '○ Risk unknown');
  assert.match(squeeze(await panel.locator('.risk-reason').textContent()), /^No score\. not enough data: 2 finished runs of deploy, 5 are needed$/);
  assert.equal((await terms(panel.locator('dl.risk-facts'))).slice(0, 3), ['Level: ○ Risk unknown', 'Confidence: low', 'History: 2 finished runs of this workflow']);
  assert.is(await panel.locator('table.risk-factors').count(), 0);
  assert.match(await panel.textContent() ?? '', /No factors recorded\./);
  assert.equal(await axe(page), []);
  await page.goto(`${base}/executions/plain`);
  assert.is(await page.locator('h1').textContent(), 'Execution plain');
  assert.is(await page.locator('section.risk').count(), 0);
  assert.is(await page.locator('#risk-h').count(), 0);
  await page.context().close();
});

test('Korean: the panel\'s labels, level, factor names and change in Korean', async () => {
  const page = await open('/executions/risky', { locale: 'ko-KR', width: 390, height: 844 });
  const panel = page.locator('section.risk');
  assert.is(await panel.locator('h2').textContent(), '위험도');
  assert.is(squeeze(await panel.locator('.risk-level').textContent()), '✕ 높은 위험');
  assert.ok((await terms(panel.locator('dl.risk-facts'))).includes('실패 확률: 64%'));
  assert.equal((await panel.locator('table.risk-factors thead th').allTextContents()).map(squeeze), ['요인', '값', '가중치', '설명']);
  assert.is(squeeze(await panel.locator('table.risk-factors tbody tr').first().locator('td').first().textContent()), '변경 크기');
  assert.match(squeeze(await panel.locator('dl.risk-change').textContent()), /바뀐 테스트 파일 없음/);
  assert.match(squeeze(await panel.textContent()), /11개 중 가장 복잡한 8개입니다\./);
  const scroll = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
  assert.ok(scroll.page <= scroll.view, `page is ${scroll.page} px wide in a ${scroll.view} px view`);
  assert.equal(await axe(page), []);
  await screenshot(page, 'execution-risk-ko-390');
  await page.context().close();
});

test('statistics: the risk trend draws the mean score beside the observed failure rate of the assessed runs', async () => {
  // The store's figures read each execution's risk: 4 scored of the 6 (a null score and none left out).
  const api = (await w.api('GET', '/api/statistics?days=30', { token: readToken })).body.data;
  assert.is(api.risk?.assessed, 4, `the store's statistics carry no risk figures: ${JSON.stringify(api.risk)}`);
  const page = await open('/statistics');
  const section = page.locator('section[aria-labelledby="risk-h"]');
  assert.is(await section.locator('h2').textContent(), 'Risk per day');
  // Three days with assessed runs: a point on each line for each.
  assert.is(await page.locator('#chart-risk g.series.s0 circle.point').count(), 3);
  assert.is(await page.locator('#chart-risk g.series.s1 rect.point').count(), 3);
  assert.match(await page.locator('#chart-risk').getAttribute('aria-label') ?? '', /^Line chart: mean risk score/);
  assert.match(await page.locator('#chart-risk circle.point').last().locator('title').textContent() ?? '', new RegExp(`${dayOf(0)}: mean risk score 72\\.0% over 1 runs`));
  assert.equal(await cells(page, 'stat-risk'), [
    [dayOf(3), '1', '10.0%', '–', '0', '0.0% (0/1)'],
    [dayOf(1), '2', '40.0%', '–', '0', '50.0% (1/2)'],
    [dayOf(0), '1', '72.0%', '64.0%', '1', '100.0% (1/1)'],
  ]);
  // The null score is left out: 4 of 6 assessed; 2 of the 4 finished failed.
  assert.match(squeeze(await section.locator('p.note').first().textContent()), /4 of 6 executions assessed: mean score 40\.5%; 2 of 4 finished failed \(50\.0%\)\./);
  assert.equal(await axe(page), []);
  await screenshot(page, 'statistics-risk');
  await page.context().close();
});

test('statistics: without assessed runs in the range, a sentence instead of the chart (and in Korean)', async () => {
  const page = await open('/statistics?workflow=quiet');
  assert.is(await page.locator('.stat-figures .figure').first().textContent(), '1');
  assert.is(await page.locator('#chart-risk').count(), 0);
  assert.is(squeeze(await page.locator('p.risk-none').textContent()), 'No execution in this range has a risk score.');
  assert.equal(await axe(page), []);
  await page.goto(`${base}/statistics?workflow=quiet&lang=ko`);
  assert.is(await page.locator('#risk-h').textContent(), '일별 위험도');
  assert.is(squeeze(await page.locator('p.risk-none').textContent()), '이 기간에는 위험 점수가 있는 실행이 없습니다.');
  await page.context().close();
});

test.run();
