// The factors of the score, each from 0 (no risk) to 1, with its value in words. Pure: history
// figures, the change (when the base is known) and the time come in.
import type { ChangeSummary, FactorName, RiskFactor } from '../store/risk.ts';
import type { RiskConfig, Weekday } from './config.ts';
import type { HistoryFigures } from './history.ts';

type Value = Omit<RiskFactor, 'weight'>;

const dayMs = 86_400_000;
const clamp = (v: number) => Math.min(1, Math.max(0, v));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const share = (failed: number, of: number) => (of === 0 ? 0 : failed / of);

/** The factors history decides: always present. */
export function historyFactors(h: HistoryFigures): Value[] {
  const out: Value[] = [
    { name: 'workflowFailures', value: share(h.failures, h.recent), detail: h.recent ? `${h.failures} of the last ${plural(h.recent, 'run')} failed` : 'no finished run yet' },
    {
      name: 'stepFailures', value: h.worstStep ? share(h.worstStep.failed, h.worstStep.ran) : 0,
      detail: h.worstStep && h.worstStep.failed > 0
        ? `step ${h.worstStep.id} failed ${h.worstStep.failed} of the last ${plural(h.worstStep.ran, 'time')} it ran`
        : 'no step failed in the recent runs',
    },
    {
      name: 'flakySteps', value: share(h.flaky.runs, h.recent),
      detail: h.flaky.runs ? `${h.flaky.runs} of the last ${plural(h.recent, 'run')} passed only after a retry (${h.flaky.steps.slice(0, 3).join(', ')})` : 'no step needed a retry to pass',
    },
    {
      name: 'sinceLastSuccess',
      value: h.sinceSuccessMs === undefined ? (h.recent ? 1 : 0) : clamp(h.sinceSuccessMs / (14 * dayMs)),
      detail: h.sinceSuccessMs === undefined ? (h.recent ? 'never succeeded' : 'no finished run yet') : `last success ${ago(h.sinceSuccessMs)}`,
    },
  ];
  if (h.plugin) {
    out.splice(2, 0, {
      name: 'pluginFailures', value: share(h.plugin.failures, h.plugin.recent),
      detail: h.plugin.recent ? `${h.plugin.failures} of the plugin's last ${plural(h.plugin.recent, 'run')} failed` : 'the plugin has no finished run yet',
    });
  }
  return out;
}

/** The factors of a change: present when the run knows its base. */
export function changeFactors(c: ChangeSummary): Value[] {
  const lines = c.linesAdded + c.linesDeleted;
  const sensitive = [...c.dependencyFiles, ...c.manifests];
  const top = c.functions[0];
  return [
    {
      name: 'changeSize', value: clamp(Math.max(Math.log10(1 + lines) / Math.log10(1 + 2000), c.files / 50)),
      detail: `${plural(c.files, 'file')}, +${c.linesAdded} −${c.linesDeleted} lines`,
    },
    {
      name: 'sensitiveFiles', value: c.dependencyFiles.length ? 1 : c.manifests.length ? 0.5 : 0,
      detail: sensitive.length ? `${[c.dependencyFiles.length ? `dependencies: ${c.dependencyFiles.slice(0, 3).join(', ')}` : '', c.manifests.length ? `manifest: ${c.manifests.slice(0, 3).join(', ')}` : ''].filter(Boolean).join('; ')}` : 'no manifest or dependency file changed',
    },
    {
      name: 'untestedChange', value: c.codeFiles > 0 && c.testFiles === 0 ? 1 : 0,
      detail: c.codeFiles === 0 ? 'no source file changed' : c.testFiles ? `${plural(c.testFiles, 'test file')} changed with ${plural(c.codeFiles, 'source file')}` : `${plural(c.codeFiles, 'source file')} changed, no test`,
    },
    {
      name: 'complexity', value: clamp((c.maxComplexity - 1) / 19),
      detail: top ? `most complex touched function: ${top.name} (${top.complexity}) in ${top.file}` : 'no Python or JavaScript function touched',
    },
  ];
}

const dayNames: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The weekday and hour of `at` in the working hours' time zone. */
export function localTime(at: number, timeZone: string): { day: Weekday; hour: number; text: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').slice(0, 3).toLowerCase() as Weekday;
  const hour = Number(part('hour'));
  return { day: dayNames.includes(day) ? day : 'mon', hour, text: `${part('weekday')} ${part('hour')}:${part('minute')} ${timeZone}` };
}

export function timeFactor(at: number, hours: RiskConfig['workingHours']): Value {
  const t = localTime(at, hours.timeZone);
  const working = hours.days.includes(t.day) && t.hour >= hours.start && t.hour < hours.end;
  return { name: 'offHours', value: working ? 0 : 1, detail: `${t.text}, ${working ? 'within' : 'outside'} working hours` };
}

function ago(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < dayMs) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / dayMs)} days ago`;
}

/** The factors with their weights; a factor weighted 0 is left out. */
export function weighted(values: Value[], weights: Record<FactorName, number>): RiskFactor[] {
  return values.flatMap((v) => (weights[v.name] > 0 ? [{ ...v, value: round(v.value), weight: weights[v.name] }] : []));
}

export const round = (v: number, places = 3) => Math.round(v * 10 ** places) / 10 ** places;
