// One alert (a rule and a label set) advanced by one verdict: the state machine (for,
// keepFiringFor, nodata, error), flap detection over condition changes, and what that step means
// for people (firing, resolved, flapping started or stopped). Shared by the monitor and by
// `pluginops rules test`, so a rule behaves the same in both. Mutates only the entry it is given.
import { dedupKey } from '../alerts/key.ts';
import { flapStep, initialFlapState, notifications, type FlapResult, type Notification } from '../alerts/flap.ts';
import { conditionChanged, initialState, step, type Evaluation, type Transition } from '../alerts/state.ts';
import type { AlertRecord } from '../runtime/state.ts';
import type { CompiledRule } from './compile.ts';
import { Baseline, type Verdict } from './judge.ts';

export interface AlertEntry {
  rec: AlertRecord;
  base: Baseline;
}

export function newAlert(rule: CompiledRule, labels: Record<string, string>, at: number): AlertEntry {
  return {
    rec: { key: dedupKey(rule.id, labels), ruleId: rule.id, labels, state: initialState(at), flap: initialFlapState },
    base: new Baseline(rule),
  };
}

export interface Advanced {
  transitions: Transition[];
  flap: FlapResult;
  notes: Notification[];
}

/** Feeds one verdict (with the incident title when it fires) into the alert at time `at`. */
export function advance(rule: CompiledRule, entry: AlertEntry, verdict: Verdict, title: string | undefined, at: number): Advanced {
  const { rec } = entry;
  const evaluation: Evaluation = verdict.condition === 'firing'
    ? { at, condition: 'firing', severity: verdict.severity, ...(title !== undefined ? { message: title } : {}) }
    : verdict.condition === 'error' ? { at, condition: 'error', message: verdict.message } : { at, condition: verdict.condition };
  const prev = rec.state;
  const { next, transitions } = step(prev, evaluation, { forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs });
  const changed = conditionChanged(prev, next);
  const flapped = rule.flapDetection ? flapStep(rec.flap, changed) : { next: rec.flap, result: { flapping: false, ratio: 0 } };
  rec.state = next;
  rec.flap = flapped.next;
  if ('value' in verdict && verdict.value !== undefined) rec.value = verdict.value;
  return { transitions, flap: flapped.result, notes: notifications(transitions, flapped.result, next.state) };
}
