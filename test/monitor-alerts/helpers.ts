// Drives the alert state machine through a table of evaluations with plain numeric times.
import { step, type AlertCondition, type AlertState, type AlertTiming, type Transition } from '../../src/monitor/alerts/state.ts';

export type Row = [at: number, condition: AlertCondition, severity?: string];

export interface Trace {
  /** One line per evaluation: `at condition -> state [transition kinds]`. */
  lines: string[];
  transitions: Transition[][];
  final: AlertState;
}

export function drive(rows: readonly Row[], rule: AlertTiming, start?: AlertState): Trace {
  let state = start;
  const lines: string[] = [];
  const transitions: Transition[][] = [];
  for (const [at, condition, severity] of rows) {
    const r = step(state, { at, condition, ...(severity === undefined ? {} : { severity }) }, rule);
    state = r.next;
    transitions.push(r.transitions);
    lines.push(`${at} ${condition} -> ${r.next.state}${r.transitions.length ? ' ' + r.transitions.map((t) => t.kind).join(',') : ''}`);
  }
  if (state === undefined) throw new Error('drive needs at least one row');
  return { lines, transitions, final: state };
}
