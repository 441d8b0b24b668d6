// The execution page's Risk panel: the failure risk assessed before the run started (its level
// as a badge with words, the score, the calibrated probability, the confidence and the history
// behind them, or why there is no score), the factors of the score with their weights and
// details, and the change it read (files, lines, manifests, dependency files, tests, the most
// complex touched functions). Every value from the record is interpolated by the `html` tag,
// hence escaped.
import type { ChangeSummary, FactorName, RiskAssessment, RiskFactor } from '../../store/risk.ts';
import { html, type Html } from '../html.ts';
import { formatNumber, formatPercent, translator, type Locale, type Messages } from '../i18n.ts';
import { badge, time, type Tone } from '../parts.ts';

/** Touched functions listed, most complex first. */
export const functionsShown = 8;

type Level = RiskAssessment['level'];
type Confidence = RiskAssessment['confidence'];

type Key =
  | 'risk' | 'intro' | 'level' | 'score' | 'probability' | 'confidence' | 'history' | 'historyRuns' | 'assessed' | 'noScore' | 'notEnough'
  | 'factors' | 'factor' | 'value' | 'weight' | 'detail' | 'noFactors'
  | 'change' | 'commits' | 'files' | 'lines' | 'linesWords' | 'manifests' | 'dependencyFiles' | 'none' | 'codeFiles'
  | 'tests' | 'testsChanged' | 'testsUnchanged' | 'functions' | 'functionsNote' | 'function' | 'where' | 'complexity'
  | 'language' | 'maxComplexity' | 'unmeasured'
  | `level.${Level}` | `confidence.${Confidence}` | `factor.${FactorName}`;

const text: Messages<Key> = {
  en: {
    risk: 'Risk', level: 'Level', intro: 'Assessed before the run started, from the workflow\'s history and the change it runs.',
    score: 'Score', probability: 'Probability of failure', confidence: 'Confidence', history: 'History',
    historyRuns: '{count} finished runs of this workflow', assessed: 'Assessed',
    noScore: 'No score.', notEnough: 'There is not enough history to score this run.',
    factors: 'Factors', factor: 'Factor', value: 'Value', weight: 'Weight', detail: 'Detail', noFactors: 'No factors recorded.',
    change: 'Change', commits: 'Commits', files: 'Files changed', lines: 'Lines', linesWords: '{added} added, {deleted} deleted',
    manifests: 'Manifests', dependencyFiles: 'Dependency files', none: 'none', codeFiles: 'Source files changed',
    tests: 'Tests', testsChanged: '{count} test files changed', testsUnchanged: 'No test file changed',
    functions: 'Touched functions', functionsNote: 'The {shown} most complex of {total}.',
    function: 'Function', where: 'Where', complexity: 'Complexity', language: 'Language', maxComplexity: 'Highest complexity',
    unmeasured: 'Not measured',
    'level.low': 'Low risk', 'level.medium': 'Medium risk', 'level.high': 'High risk', 'level.unknown': 'Risk unknown',
    'confidence.low': 'low', 'confidence.medium': 'medium', 'confidence.high': 'high',
    'factor.workflowFailures': 'Recent failures of the workflow', 'factor.stepFailures': 'Recent failures of its steps',
    'factor.pluginFailures': 'Recent failures of the plugin', 'factor.flakySteps': 'Flaky steps',
    'factor.sinceLastSuccess': 'Time since the last success', 'factor.changeSize': 'Size of the change',
    'factor.sensitiveFiles': 'Manifests and dependency files changed', 'factor.untestedChange': 'Code changed without tests',
    'factor.complexity': 'Complexity of the touched functions', 'factor.offHours': 'Started outside working hours',
  },
  ko: {
    risk: '위험도', level: '수준', intro: '실행이 시작되기 전에 워크플로의 이력과 실행하는 변경 내용으로 평가했습니다.',
    score: '점수', probability: '실패 확률', confidence: '신뢰도', history: '이력',
    historyRuns: '이 워크플로의 완료된 실행 {count}건', assessed: '평가 시각',
    noScore: '점수 없음.', notEnough: '이 실행의 점수를 매길 만큼 이력이 충분하지 않습니다.',
    factors: '요인', factor: '요인', value: '값', weight: '가중치', detail: '설명', noFactors: '기록된 요인이 없습니다.',
    change: '변경', commits: '커밋', files: '바뀐 파일', lines: '줄', linesWords: '{added}줄 추가, {deleted}줄 삭제',
    manifests: '매니페스트', dependencyFiles: '의존성 파일', none: '없음', codeFiles: '바뀐 소스 파일',
    tests: '테스트', testsChanged: '테스트 파일 {count}개 변경', testsUnchanged: '바뀐 테스트 파일 없음',
    functions: '바뀐 함수', functionsNote: '{total}개 중 가장 복잡한 {shown}개입니다.',
    function: '함수', where: '위치', complexity: '복잡도', language: '언어', maxComplexity: '최고 복잡도',
    unmeasured: '측정하지 못한 파일',
    'level.low': '낮은 위험', 'level.medium': '중간 위험', 'level.high': '높은 위험', 'level.unknown': '위험 알 수 없음',
    'confidence.low': '낮음', 'confidence.medium': '보통', 'confidence.high': '높음',
    'factor.workflowFailures': '워크플로의 최근 실패', 'factor.stepFailures': '단계의 최근 실패',
    'factor.pluginFailures': '플러그인의 최근 실패', 'factor.flakySteps': '불안정한 단계',
    'factor.sinceLastSuccess': '마지막 성공 이후 경과 시간', 'factor.changeSize': '변경 크기',
    'factor.sensitiveFiles': '매니페스트와 의존성 파일 변경', 'factor.untestedChange': '테스트 없이 바뀐 코드',
    'factor.complexity': '바뀐 함수의 복잡도', 'factor.offHours': '업무 시간 외 시작',
  },
};

type T = ReturnType<typeof translator<Key>>;

const levelTone: Record<Level, Tone> = { low: 'ok', medium: 'warn', high: 'bad', unknown: 'idle' };

/** A share from 0 to 1 as a tone: the bar's colour, always beside its percentage. */
const shareTone = (value: number): Tone => (value >= 2 / 3 ? 'bad' : value >= 1 / 3 ? 'warn' : 'ok');

/** The level in words with its icon. */
export const riskBadge = (locale: Locale, level: Level): Html => badge(levelTone[level], translator(text, locale)(`level.${level}`));

/** A value from 0 to 1 as a bar (decoration) and its percentage (the text). */
function meter(locale: Locale, value: number): Html {
  const share = Math.min(1, Math.max(0, value));
  return html`<span class="risk-meter"><span class="bar-track" aria-hidden="true"><span class="bar ${shareTone(share)}" style="left:0;width:${(share * 100).toFixed(1)}%"></span></span><span class="risk-share">${formatPercent(locale, share, 0)}</span></span>`;
}

function summary(t: T, locale: Locale, risk: RiskAssessment): Html {
  const row = (label: string, value: Html | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<dl class="facts risk-facts">
    <dt>${t('level')}</dt><dd class="risk-level">${riskBadge(locale, risk.level)}</dd>
    ${risk.score !== null && row(t('score'), formatPercent(locale, risk.score, 0))}
    ${risk.probability !== undefined && row(t('probability'), formatPercent(locale, risk.probability, 0))}
    ${row(t('confidence'), t(`confidence.${risk.confidence}`))}
    ${row(t('history'), t('historyRuns', { count: formatNumber(locale, risk.history) }))}
    ${row(t('assessed'), time(locale, risk.at))}
  </dl>
  ${risk.score === null && html`<p class="risk-reason"><strong>${t('noScore')}</strong> ${risk.reason ?? t('notEnough')}</p>`}`;
}

/** The factors, the ones weighing most in the score first. */
function factorsTable(t: T, locale: Locale, factors: readonly RiskFactor[]): Html {
  if (factors.length === 0) return html`<p class="note">${t('noFactors')}</p>`;
  const ordered = [...factors].sort((a, b) => b.value * b.weight - a.value * a.weight);
  return html`<div class="table-wrap"><table class="responsive risk-factors">
    <caption class="sr-only">${t('factors')}</caption>
    <thead><tr><th scope="col">${t('factor')}</th><th scope="col" class="risk-value">${t('value')}</th><th scope="col" class="num">${t('weight')}</th><th scope="col">${t('detail')}</th></tr></thead>
    <tbody>${ordered.map((f) => html`<tr data-factor="${f.name}">
      <td data-label="${t('factor')}">${t(`factor.${f.name}`)}</td>
      <td data-label="${t('value')}" class="risk-value">${meter(locale, f.value)}</td>
      <td data-label="${t('weight')}" class="num">${formatNumber(locale, f.weight, 2)}</td>
      <td data-label="${t('detail')}" class="risk-detail">${f.detail}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

const fileList = (t: T, files: readonly string[]): Html | string =>
  files.length === 0 ? t('none') : html`<ul class="plain risk-files">${files.map((f) => html`<li><code>${f}</code></li>`)}</ul>`;

function changeFacts(t: T, locale: Locale, c: ChangeSummary): Html {
  const n = (x: number) => formatNumber(locale, x);
  const short = (sha: string) => (/^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 12) : sha);
  return html`<dl class="facts risk-change">
    <dt>${t('commits')}</dt><dd><code>${short(c.base)}</code> → <code>${short(c.head)}</code></dd>
    <dt>${t('files')}</dt><dd>${n(c.files)}</dd>
    <dt>${t('lines')}</dt><dd><span aria-hidden="true">+${n(c.linesAdded)} −${n(c.linesDeleted)}</span><span class="sr-only">${t('linesWords', { added: n(c.linesAdded), deleted: n(c.linesDeleted) })}</span></dd>
    <dt>${t('codeFiles')}</dt><dd>${n(c.codeFiles)}</dd>
    <dt>${t('tests')}</dt><dd class="risk-tests">${c.testFiles > 0 ? badge('ok', t('testsChanged', { count: n(c.testFiles) })) : badge(c.codeFiles > 0 ? 'warn' : 'idle', t('testsUnchanged'))}</dd>
    <dt>${t('manifests')}</dt><dd>${fileList(t, c.manifests)}</dd>
    <dt>${t('dependencyFiles')}</dt><dd>${fileList(t, c.dependencyFiles)}</dd>
    ${c.functions.length > 0 && html`<dt>${t('maxComplexity')}</dt><dd>${n(c.maxComplexity)}</dd>`}
  </dl>`;
}

function functionsTable(t: T, locale: Locale, c: ChangeSummary): Html {
  if (c.functions.length === 0) return html``;
  const shown = [...c.functions].sort((a, b) => b.complexity - a.complexity).slice(0, functionsShown);
  return html`<h3>${t('functions')}</h3>
    ${c.functions.length > shown.length && html`<p class="note">${t('functionsNote', { shown: shown.length, total: c.functions.length })}</p>`}
    <div class="table-wrap"><table class="responsive risk-functions">
      <caption class="sr-only">${t('functions')}</caption>
      <thead><tr><th scope="col">${t('function')}</th><th scope="col">${t('where')}</th><th scope="col" class="num">${t('complexity')}</th><th scope="col">${t('language')}</th></tr></thead>
      <tbody>${shown.map((f) => html`<tr>
        <td data-label="${t('function')}"><code>${f.name}</code></td>
        <td data-label="${t('where')}"><code class="risk-where">${f.file}:${f.line}</code></td>
        <td data-label="${t('complexity')}" class="num">${formatNumber(locale, f.complexity)}</td>
        <td data-label="${t('language')}">${f.language}</td>
      </tr>`)}</tbody>
    </table></div>`;
}

function change(t: T, locale: Locale, c: ChangeSummary): Html {
  return html`<h3>${t('change')}</h3>
    ${changeFacts(t, locale, c)}
    ${functionsTable(t, locale, c)}
    ${c.unmeasured !== undefined && c.unmeasured.length > 0 && html`<h3>${t('unmeasured')}</h3>
      <ul class="plain risk-unmeasured">${c.unmeasured.map((u) => html`<li><code>${u.file}</code>: ${u.reason}</li>`)}</ul>`}`;
}

/** The Risk section's content: the summary, the factors, and the change when the run knows its base. */
export function riskPanel(locale: Locale, risk: RiskAssessment): Html {
  const t = translator(text, locale);
  return html`<p class="note">${t('intro')}</p>
    ${summary(t, locale, risk)}
    <h3>${t('factors')}</h3>
    ${factorsTable(t, locale, risk.factors)}
    ${risk.change && change(t, locale, risk.change)}`;
}

/** The section's heading, in the page's language. */
export const riskHeading = (locale: Locale): string => translator(text, locale)('risk');
