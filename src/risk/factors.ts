// The factors of the score, each from 0 (no risk) to 1, with its value in words. Pure: history
// figures, the change (when the base is known) and the time come in. Each factor is defined once:
// whether it is present, its value, and its detail — the calibration scores thousands of past runs
// from the values alone, the run being assessed gets the details too.
import { factorNames, type ChangeSummary, type FactorName, type RiskFactor } from '../store/risk.ts';
import type { RiskConfig, Weekday } from './config.ts';
import type { HistoryFigures } from './history.ts';

/** What the factors read. */
export interface FactorInputs {
  history: HistoryFigures;
  change?: ChangeSummary;
  /** When the run starts (ms). */
  at: number;
  hours: RiskConfig['workingHours'];
}

interface Definition {
  present(i: FactorInputs): boolean;
  value(i: FactorInputs): number;
  detail(i: FactorInputs): string;
}

const dayMs = 86_400_000;
const clamp = (v: number) => Math.min(1, Math.max(0, v));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const share = (failed: number, of: number) => (of === 0 ? 0 : failed / of);
const always = () => true;
const hasChange = (i: FactorInputs) => i.change !== undefined;
const linesOf = (c: ChangeSummary) => c.linesAdded + c.linesDeleted;

const definitions: Record<FactorName, Definition> = {
  workflowFailures: {
    present: always,
    value: ({ history: h }) => share(h.failures, h.recent),
    detail: ({ history: h }) => (h.recent ? `${h.failures} of the last ${plural(h.recent, 'run')} failed` : 'no finished run yet'),
  },
  stepFailures: {
    present: always,
    value: ({ history: h }) => (h.worstStep ? share(h.worstStep.failed, h.worstStep.ran) : 0),
    detail: ({ history: h }) => (h.worstStep && h.worstStep.failed > 0
      ? `step ${h.worstStep.id} failed ${h.worstStep.failed} of the last ${plural(h.worstStep.ran, 'time')} it ran`
      : 'no step failed in the recent runs'),
  },
  pluginFailures: {
    present: ({ history: h }) => h.plugin !== undefined,
    value: ({ history: h }) => share(h.plugin!.failures, h.plugin!.recent),
    detail: ({ history: h }) => (h.plugin!.recent ? `${h.plugin!.failures} of the plugin's last ${plural(h.plugin!.recent, 'run')} failed` : 'the plugin has no finished run yet'),
  },
  flakySteps: {
    present: always,
    value: ({ history: h }) => share(h.flaky.runs, h.recent),
    detail: ({ history: h }) => (h.flaky.runs ? `${h.flaky.runs} of the last ${plural(h.recent, 'run')} passed only after a retry (${h.flaky.steps.slice(0, 3).join(', ')})` : 'no step needed a retry to pass'),
  },
  sinceLastSuccess: {
    present: always,
    value: ({ history: h }) => (h.sinceSuccessMs === undefined ? (h.recent ? 1 : 0) : clamp(h.sinceSuccessMs / (14 * dayMs))),
    detail: ({ history: h }) => (h.sinceSuccessMs === undefined ? (h.recent ? 'never succeeded' : 'no finished run yet') : `last success ${ago(h.sinceSuccessMs)}`),
  },
  changeSize: {
    present: hasChange,
    value: ({ change: c }) => clamp(Math.max(Math.log10(1 + linesOf(c!)) / Math.log10(1 + 2000), c!.files / 50)),
    detail: ({ change: c }) => `${plural(c!.files, 'file')}, +${c!.linesAdded} −${c!.linesDeleted} lines`,
  },
  sensitiveFiles: {
    present: hasChange,
    value: ({ change: c }) => (c!.dependencyFiles.length ? 1 : c!.manifests.length ? 0.5 : 0),
    detail: ({ change: c }) => {
      const parts = [c!.dependencyFiles.length ? `dependencies: ${c!.dependencyFiles.slice(0, 3).join(', ')}` : '', c!.manifests.length ? `manifest: ${c!.manifests.slice(0, 3).join(', ')}` : ''].filter(Boolean);
      return parts.length ? parts.join('; ') : 'no manifest or dependency file changed';
    },
  },
  untestedChange: {
    present: hasChange,
    value: ({ change: c }) => (c!.codeFiles > 0 && c!.testFiles === 0 ? 1 : 0),
    detail: ({ change: c }) => (c!.codeFiles === 0 ? 'no source file changed' : c!.testFiles ? `${plural(c!.testFiles, 'test file')} changed with ${plural(c!.codeFiles, 'source file')}` : `${plural(c!.codeFiles, 'source file')} changed, no test`),
  },
  complexity: {
    present: hasChange,
    value: ({ change: c }) => clamp((c!.maxComplexity - 1) / 19),
    detail: ({ change: c }) => {
      const top = c!.functions[0];
      return top ? `most complex touched function: ${top.name} (${top.complexity}) in ${top.file}` : 'no Python or JavaScript function touched';
    },
  },
  offHours: {
    present: always,
    value: ({ at, hours }) => (working(at, hours) ? 0 : 1),
    detail: ({ at, hours }) => `${localTime(at, hours.timeZone).text}, ${working(at, hours) ? 'within' : 'outside'} working hours`,
  },
};

export const round = (v: number, places = 3) => Math.round(v * 10 ** places) / 10 ** places;

/** The factors present with a weight above 0, with their values in words. */
export function factorsOf(i: FactorInputs, weights: Record<FactorName, number>): RiskFactor[] {
  return factorNames.flatMap((name) => {
    const d = definitions[name];
    return weights[name] > 0 && d.present(i) ? [{ name, value: round(d.value(i)), weight: weights[name], detail: d.detail(i) }] : [];
  });
}

/** The same factors as numbers in `factorNames` order (0 when absent or weighted 0), and their weighted score; no words. */
export function factorValues(i: FactorInputs, weights: Record<FactorName, number>): { values: Float64Array; score: number } {
  const values = new Float64Array(factorNames.length);
  let sum = 0, total = 0;
  factorNames.forEach((name, k) => {
    const d = definitions[name];
    if (!(weights[name] > 0) || !d.present(i)) return;
    const v = round(d.value(i));
    values[k] = v;
    sum += v * weights[name];
    total += weights[name];
  });
  return { values, score: total === 0 ? 0 : round(sum / total) };
}

const dayNames: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** The weekday and hour of `at` in the working hours' time zone (one formatter per zone: making one costs far more than using it). */
export function localTime(at: number, timeZone: string): { day: Weekday; hour: number; text: string } {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
  const parts = format.formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').slice(0, 3).toLowerCase() as Weekday;
  const hour = Number(part('hour'));
  return { day: dayNames.includes(day) ? day : 'mon', hour, text: `${part('weekday')} ${part('hour')}:${part('minute')} ${timeZone}` };
}

function working(at: number, hours: RiskConfig['workingHours']): boolean {
  const utc = hours.timeZone === 'UTC';
  const d = new Date(at);
  const t = utc ? { day: dayNames[d.getUTCDay()]!, hour: d.getUTCHours() } : localTime(at, hours.timeZone);
  return hours.days.includes(t.day) && t.hour >= hours.start && t.hour < hours.end;
}

function ago(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < dayMs) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / dayMs)} days ago`;
}
