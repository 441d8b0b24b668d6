// Alert-rule evaluation cost: 10,000 rules, each with a 1,000-sample window pre-filled; one
// incremental evaluation = z-score of the new sample + push + trend forecast + static levels.
// The robust (median/MAD) variant is timed separately on its own windows.
import { type Levels, levelOf } from '../src/monitor/math/levels.ts';
import { MedianWindow, madScore } from '../src/monitor/math/mad.ts';
import { RollingWindow } from '../src/monitor/math/rolling.ts';
import { forecast, type ForecastOptions } from '../src/monitor/math/trend.ts';
import { zscore } from '../src/monitor/math/zscore.ts';
import type { AlertRuleDoc } from '../src/documents/schema/operations.ts';
import { advance, newAlert, type AlertEntry } from '../src/monitor/rules/alert.ts';
import { compileRule } from '../src/monitor/rules/compile.ts';
import { judge } from '../src/monitor/rules/judge.ts';
import { collectGarbage, median, prng } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

const RULES = 10_000;
const CAPACITY = 1_000;
const STEP_MS = 30_000;
const T0 = 1_724_000_000_000;

interface Series {
  /** The next value of each rule, precomputed per round so the timed loop draws no random numbers. */
  next(round: number): Float64Array;
  prefill(rule: number, i: number): number;
}

/** Per rule: a base level, a slow drift and noise; one rule in 50 spikes now and then. */
function series(seed: number): Series {
  const rand = prng(seed);
  const base = Float64Array.from({ length: RULES }, () => 100 + rand() * 900);
  const drift = Float64Array.from({ length: RULES }, () => (rand() - 0.5) * 0.02);
  const noise = (r: () => number) => (r() - 0.5) * 10;
  return {
    prefill: (rule, i) => base[rule]! + drift[rule]! * i + noise(rand),
    next(round) {
      const out = new Float64Array(RULES);
      for (let r = 0; r < RULES; r++) out[r] = base[r]! + drift[r]! * (CAPACITY + round) + noise(rand) + (r % 50 === 0 && round % 7 === 0 ? 60 : 0);
      return out;
    },
  };
}

/** Times `rounds` passes of `evaluate` over every rule; returns µs per evaluation, one per round. */
function timeRounds(rounds: number, s: Series, evaluate: (rule: number, t: number, v: number) => number, log: (m: string) => void, label: string): number[] {
  const perEval: number[] = [];
  let sink = 0;
  for (let round = 0; round < rounds; round++) {
    const values = s.next(round);
    const t = T0 + (CAPACITY + round) * STEP_MS;
    collectGarbage();
    const started = performance.now();
    for (let r = 0; r < RULES; r++) sink += evaluate(r, t, values[r]!);
    perEval.push(((performance.now() - started) * 1000) / RULES);
  }
  log(`  ${label}: median ${median(perEval).toFixed(3)} µs/eval over ${rounds} rounds (${sink} alerts)`);
  return perEval;
}

export const alertEval: Benchmark = {
  id: 'alert-eval',
  title: 'Alert-rule evaluation: z-score, trend forecast and levels over rolling windows',
  description: `${RULES.toLocaleString('en')} rules, each with a ${CAPACITY.toLocaleString('en')}-sample rolling window pre-filled (synthetic series: level, drift, noise, occasional spikes). One incremental evaluation = z-score of the new sample against the window + push (O(1) Welford add/remove and least-squares co-moments) + linear-trend forecast (slope, R², time to cross, 1 h horizon) + static levels. Timed over every rule per round; µs per evaluation is the median over rounds. The robust variant (push into a window that also keeps its values sorted + median/MAD modified z) is timed on separate windows, without a goal.`,
  async run({ log, quick }) {
    const rounds = quick ? 5 : 40;
    const levels: Levels = { warning: 800, danger: 900, critical: 950 };
    const trend: ForecastOptions = { level: 950, direction: 'above', horizonMs: 3_600_000 };

    let s = series(1);
    let started = performance.now();
    let windows: RollingWindow[] = [];
    for (let r = 0; r < RULES; r++) {
      const w = new RollingWindow(CAPACITY);
      for (let i = 0; i < CAPACITY; i++) w.push(T0 + i * STEP_MS, s.prefill(r, i));
      windows.push(w);
    }
    log(`  pre-filled ${RULES} windows in ${(performance.now() - started).toFixed(0)} ms`);
    const plain = timeRounds(rounds, s, (r, t, v) => {
      const w = windows[r]!;
      const z = zscore(w, v);
      w.push(t, v);
      const f = forecast(w, trend);
      const level = levelOf(v, levels);
      return (z.kind === 'anomaly' ? 1 : 0) + (f.kind === 'predicted' ? 1 : 0) + (level === 'ok' ? 0 : 1);
    }, log, 'z-score + trend + levels');
    windows = [];

    s = series(1);
    started = performance.now();
    let robust: MedianWindow[] = [];
    for (let r = 0; r < RULES; r++) {
      const w = new MedianWindow(CAPACITY);
      for (let i = 0; i < CAPACITY; i++) w.push(T0 + i * STEP_MS, s.prefill(r, i));
      robust.push(w);
    }
    log(`  pre-filled ${RULES} sorted windows in ${(performance.now() - started).toFixed(0)} ms`);
    const mad = timeRounds(rounds, s, (r, t, v) => {
      const w = robust[r]!;
      const m = madScore(w, v);
      w.push(t, v);
      return m.kind === 'anomaly' ? 1 : 0;
    }, log, 'MAD');
    robust = [];

    // The engine's own path per evaluation: the rule's verdict (levels, z-score scored before the
    // push, trend forecast) and the alert step (state machine with `for`, flap detection).
    const doc: AlertRuleDoc = {
      apiVersion: 'pluginops/v1', kind: 'AlertRule', metadata: { id: 'bench' },
      spec: { source: { metric: 'm' }, levels, anomaly: { window: CAPACITY }, trend: { level: 950, horizon: '1h', window: CAPACITY }, for: '1m' },
    };
    const rule = compileRule(doc);
    s = series(1);
    started = performance.now();
    let entries: AlertEntry[] = [];
    for (let r = 0; r < RULES; r++) {
      const e = newAlert(rule, { n: String(r) }, T0);
      for (let i = 0; i < CAPACITY; i++) e.base.push(T0 + i * STEP_MS, s.prefill(r, i));
      entries.push(e);
    }
    log(`  pre-filled ${RULES} alert baselines in ${(performance.now() - started).toFixed(0)} ms`);
    const engine = timeRounds(rounds, s, (r, t, v) => {
      const e = entries[r]!;
      const verdict = judge(rule, e.base, t, v);
      if (!verdict) return 0;
      const { notes } = advance(rule, e, verdict, undefined, t);
      return notes.length;
    }, log, 'engine path');
    entries = [];

    const us = median(plain);
    const rows: Row[] = [
      { name: `incremental evaluation (z-score + push + trend + levels), ${RULES.toLocaleString('en')} rules × ${CAPACITY.toLocaleString('en')} samples`, value: us, unit: 'µs/eval', goal: '< 10 µs per incremental evaluation', met: us < 10, samples: plain },
      { name: 'evaluations per second (one core)', value: 1e6 / us, unit: 'evals/s' },
      { name: 'robust variant (median/MAD score + sorted push)', value: median(mad), unit: 'µs/eval', samples: mad },
      { name: 'engine path: rule verdict (levels + z-score + trend) + alert state machine + flap detection', value: median(engine), unit: 'µs/eval', goal: '< 10 µs', met: median(engine) < 10, samples: engine },
    ];
    return rows;
  },
};
