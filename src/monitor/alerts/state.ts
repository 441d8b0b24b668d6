// The state of one alert (a rule and one label set) and the pure step from one evaluation to the
// next. No I/O and no clock: every evaluation carries its own time in ms since the epoch.
//
// Semantics follow Prometheus alerting rules:
// - A firing condition starts `pending`; the alert fires once the condition has held
//   continuously for `forMs` (at once when `forMs` is 0). Any other condition while pending
//   drops the pending alert without a notification, as Prometheus drops pending alerts.
// - A firing alert whose condition stops firing (ok or nodata) keeps firing until
//   `keepFiringForMs` has passed since the first evaluation that did not fire; a firing
//   evaluation in between cancels the countdown.
// - Like Prometheus, where a series that vanishes resolves its alert, nodata counts as "not
//   firing": after the hold, a firing alert that went nodata is `resolved` (reported once) and
//   its state is `nodata`.
// - An error is no evidence either way: it never raises and never resolves. A firing alert whose
//   evaluation fails stays firing (as Prometheus leaves active alerts untouched when a rule
//   fails) and its hold countdown does not complete; a pending alert stops pending (its `for`
//   restarts with the next firing evaluation); other states move to `error`.
// - `resolved` is reported once; the next ok evaluation turns it into `ok` silently.
//
// Maintenance windows do not change any of this: the state machine always runs, and the caller
// asks `activeWindow` before it notifies or remediates.

export type AlertCondition = 'firing' | 'ok' | 'nodata' | 'error';
export type AlertStateName = 'ok' | 'pending' | 'firing' | 'resolved' | 'nodata' | 'error';

export interface Evaluation {
  /** ms since the epoch; never earlier than the previous evaluation's. */
  at: number;
  condition: AlertCondition;
  severity?: string;
  message?: string;
}

export interface AlertTiming {
  forMs: number;
  keepFiringForMs: number;
  /** How many state changes `history` keeps; 20 unless given. */
  historyLimit?: number;
}

export interface HistoryEntry {
  at: number;
  from: AlertStateName;
  to: AlertStateName;
}

export interface AlertState {
  state: AlertStateName;
  /** When the current state was entered. */
  since: number;
  /** When the firing condition began to hold (pending and firing alerts). */
  activeAt?: number;
  firedAt?: number;
  resolvedAt?: number;
  lastEvaluation: number;
  lastCondition: AlertCondition;
  severity?: string;
  message?: string;
  /** While a firing alert's condition has cleared: the time at which it resolves. */
  keepFiringUntil?: number;
  /** The last state changes, oldest first, at most `historyLimit` of them. */
  history: HistoryEntry[];
}

export type Transition =
  | { kind: 'pending' }
  | { kind: 'firing' }
  | { kind: 'resolved' }
  | { kind: 'nodata' }
  | { kind: 'error'; message: string }
  | { kind: 'severity-changed'; from?: string; to?: string };

export interface StepResult {
  next: AlertState;
  transitions: Transition[];
}

export const defaultHistoryLimit = 20;
const noTransitions: Transition[] = [];

/** The state an alert is in before its first evaluation. */
export function initialState(at: number): AlertState {
  return { state: 'ok', since: at, lastEvaluation: at, lastCondition: 'ok', history: [] };
}

/** Advances one alert by one evaluation. */
export function step(prev: AlertState | undefined, input: Evaluation, rule: AlertTiming): StepResult {
  const from = prev ?? initialState(input.at);
  if (input.at < from.lastEvaluation) {
    throw new RangeError(`evaluation at ${input.at} is earlier than the previous one at ${from.lastEvaluation}`);
  }
  // The steady case (ok and still ok) changes only the evaluation time.
  if (from.state === 'ok' && input.condition === 'ok' && from.lastCondition === 'ok') return { next: { ...from, lastEvaluation: input.at }, transitions: noTransitions };
  const base: AlertState = { ...from, lastEvaluation: input.at, lastCondition: input.condition };
  const result = from.state === 'firing' ? stepFiring(base, from.lastCondition, input, rule) : stepNotFiring(base, input, rule);
  return { next: withHistory(from, prune(result.next), rule), transitions: result.transitions };
}

/** True when the evaluation's condition differs from the previous one: the input to flap detection. */
export function conditionChanged(prev: AlertState | undefined, next: AlertState): boolean {
  return prev !== undefined && prev.lastCondition !== next.lastCondition;
}

function stepNotFiring(s: AlertState, input: Evaluation, rule: AlertTiming): StepResult {
  const { at, condition } = input;
  switch (condition) {
    case 'firing': {
      const activeAt = s.state === 'pending' && s.activeAt !== undefined ? s.activeAt : at;
      const held = { ...s, activeAt, severity: input.severity ?? s.severity, message: input.message ?? s.message };
      if (at - activeAt >= rule.forMs) {
        return { next: enter({ ...held, firedAt: at, resolvedAt: undefined }, 'firing', at), transitions: [{ kind: 'firing' }] };
      }
      if (s.state === 'pending') return { next: held, transitions: [] };
      return { next: enter(held, 'pending', at), transitions: [{ kind: 'pending' }] };
    }
    case 'ok':
      if (s.state === 'ok') return { next: s, transitions: [] };
      return { next: enter(clearActive(s), 'ok', at), transitions: [] };
    case 'nodata':
      if (s.state === 'nodata') return { next: s, transitions: [] };
      return { next: enter(clearActive(s), 'nodata', at), transitions: [{ kind: 'nodata' }] };
    case 'error': {
      const message = input.message ?? 'evaluation failed';
      if (s.state === 'error') return { next: { ...s, message }, transitions: [] };
      return { next: enter({ ...clearActive(s), message }, 'error', at), transitions: [{ kind: 'error', message }] };
    }
  }
}

function stepFiring(s: AlertState, prevCondition: AlertCondition, input: Evaluation, rule: AlertTiming): StepResult {
  const { at, condition } = input;
  switch (condition) {
    case 'firing': {
      const next = { ...s, keepFiringUntil: undefined, severity: input.severity ?? s.severity, message: input.message ?? s.message };
      const changed = input.severity !== undefined && input.severity !== s.severity;
      return { next, transitions: changed ? [{ kind: 'severity-changed', from: s.severity, to: input.severity }] : [] };
    }
    case 'error': {
      // Stays firing; the error is reported when it begins, not on every failing evaluation.
      const message = input.message ?? 'evaluation failed';
      const first = prevCondition !== 'error';
      return { next: s, transitions: first ? [{ kind: 'error', message }] : [] };
    }
    case 'ok':
    case 'nodata': {
      const until = s.keepFiringUntil ?? at + rule.keepFiringForMs;
      if (at < until) return { next: { ...s, keepFiringUntil: until }, transitions: [] };
      const resolved = { ...clearActive(s), resolvedAt: at };
      if (condition === 'ok') return { next: enter(resolved, 'resolved', at), transitions: [{ kind: 'resolved' }] };
      return { next: enter(resolved, 'nodata', at), transitions: [{ kind: 'resolved' }, { kind: 'nodata' }] };
    }
  }
}

function enter(s: AlertState, state: AlertStateName, at: number): AlertState {
  return { ...s, state, since: at };
}

function clearActive(s: AlertState): AlertState {
  return { ...s, activeAt: undefined, keepFiringUntil: undefined };
}

/** Drops optional fields left undefined, so states compare equal however they were reached. */
function prune(s: AlertState): AlertState {
  let clean = true;
  for (const key in s) if (s[key as keyof AlertState] === undefined) { clean = false; break; }
  if (clean) return s;
  // Rebuilt rather than `delete`d: deleting turns an object into a slow dictionary.
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as AlertState;
}

function withHistory(prev: AlertState, next: AlertState, rule: AlertTiming): AlertState {
  if (prev.state === next.state) return next;
  const limit = rule.historyLimit ?? defaultHistoryLimit;
  const history = [...prev.history, { at: next.since, from: prev.state, to: next.state }].slice(-limit);
  return { ...next, history };
}
