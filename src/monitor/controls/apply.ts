// The changes people make to the run-time controls, as pure functions: state and request in, the
// new state and the change to record out. Each change carries who, when and why; the state keeps
// the newest `keptChanges` of them. A request that makes no sense for the state (resuming what is
// not paused, turning on what is on, ending a window that is not active) is a ControlsError of
// kind `conflict`; the caller checks that named checks and rules exist.
//
// Expiry: a pause with `until` and a maintenance window end by themselves at their time; `prune`
// drops them from the state (it is not a change: nobody made it).
import { PluginopsError } from '../../errors/base.ts';
import type { ErrorKind } from '../../errors/kinds.ts';
import type { OneOffWindow } from '../alerts/maintenance.ts';
import {
  keptChanges, targetName, type ControlAction, type ControlChange, type ControlTarget, type ControlsState, type HealingOffRecord,
  type MaintenanceRecord, type PauseRecord, type Stamp,
} from './model.ts';

export type ControlsErrorCode = 'E_CONTROL_UNKNOWN' | 'E_CONTROL_CONFLICT' | 'E_CONTROL_INVALID';
const kinds = { E_CONTROL_UNKNOWN: 'not_found', E_CONTROL_CONFLICT: 'conflict', E_CONTROL_INVALID: 'invalid' } as const satisfies Record<ControlsErrorCode, ErrorKind>;

/** A control request that names nothing known, contradicts the state, or is not valid. */
export class ControlsError extends PluginopsError {
  readonly kind: ErrorKind;
  override name = 'ControlsError';
  constructor(readonly code: ControlsErrorCode, message: string) {
    super(message);
    this.kind = kinds[code];
  }
}

export interface Changed { state: ControlsState; change: ControlChange }

export interface MaintenanceInput { durationMs: number; checks?: string[]; rules?: string[] }

/** Drops pauses and windows whose time is over. */
export function prune(s: ControlsState, at: number): ControlsState {
  const pauses = s.pauses.filter((p) => p.until === undefined || p.until > at);
  const maintenance = s.maintenance.filter((m) => m.end > at);
  return pauses.length === s.pauses.length && maintenance.length === s.maintenance.length ? s : { ...s, pauses, maintenance };
}

/** Pauses a target; pausing what is paused replaces the pause (new reason, new end). */
export function pause(s0: ControlsState, target: ControlTarget, until: number | undefined, stamp: Stamp): Changed {
  if (until !== undefined && !(until > stamp.at)) throw new ControlsError('E_CONTROL_INVALID', `a pause must last longer than 0 ms, found one ending at ${new Date(until).toISOString()}`);
  const s = prune(s0, stamp.at);
  const name = targetName(target);
  const record: PauseRecord = { id: `pause-${s.seq + 1}`, target, ...stamp, ...(until === undefined ? {} : { until }) };
  const pauses = [...s.pauses.filter((p) => targetName(p.target) !== name), record];
  return recorded({ ...s, pauses }, 'pause', name, stamp, until);
}

export function resume(s0: ControlsState, target: ControlTarget, stamp: Stamp): Changed {
  const s = prune(s0, stamp.at);
  const name = targetName(target);
  if (!s.pauses.some((p) => targetName(p.target) === name)) {
    const others = s.pauses.map((p) => targetName(p.target));
    throw new ControlsError('E_CONTROL_CONFLICT', `${describe(target)} is not paused${others.length ? `; paused now: ${others.join(', ')}` : '; nothing is paused'}`);
  }
  return recorded({ ...s, pauses: s.pauses.filter((p) => targetName(p.target) !== name) }, 'resume', name, stamp);
}

/** Turns self-healing off or on, everywhere (`rule` absent) or for one rule. */
export function setSelfHealing(s0: ControlsState, enabled: boolean, rule: string | undefined, stamp: Stamp): Changed {
  const s = prune(s0, stamp.at);
  const target = rule === undefined ? 'self-healing' : `rule:${rule}`;
  const where = rule === undefined ? 'self-healing' : `self-healing of rule ${rule}`;
  const current = s.selfHealingOff.find((h) => h.rule === rule);
  if (enabled) {
    if (!current) throw new ControlsError('E_CONTROL_CONFLICT', `${where} is not turned off${rule !== undefined && s.selfHealingOff.some((h) => h.rule === undefined) ? ' (self-healing is off everywhere: turn it on without a rule)' : ''}`);
    return recorded({ ...s, selfHealingOff: s.selfHealingOff.filter((h) => h !== current) }, 'self-healing-on', target, stamp);
  }
  const record: HealingOffRecord = { id: `healing-${s.seq + 1}`, ...(rule === undefined ? {} : { rule }), ...stamp };
  return recorded({ ...s, selfHealingOff: [...s.selfHealingOff.filter((h) => h !== current), record] }, 'self-healing-off', target, stamp);
}

export function startMaintenance(s0: ControlsState, input: MaintenanceInput, stamp: Stamp): Changed {
  const s = prune(s0, stamp.at);
  if (!(input.durationMs > 0)) throw new ControlsError('E_CONTROL_INVALID', `a maintenance window must last longer than 0 ms, found ${input.durationMs}`);
  const id = `maint-${s.seq + 1}`;
  const record: MaintenanceRecord = {
    id, ...stamp, start: stamp.at, end: stamp.at + input.durationMs,
    ...(input.checks?.length ? { checks: input.checks } : {}), ...(input.rules?.length ? { rules: input.rules } : {}),
  };
  return recorded({ ...s, maintenance: [...s.maintenance, record] }, 'maintenance-start', `maintenance:${id}`, stamp, record.end);
}

export function endMaintenance(s0: ControlsState, id: string, stamp: Stamp): Changed {
  const s = prune(s0, stamp.at);
  if (!s.maintenance.some((m) => m.id === id)) {
    const active = s.maintenance.map((m) => m.id);
    throw new ControlsError('E_CONTROL_UNKNOWN', `no active maintenance window \`${id}\`${active.length ? `; active: ${active.join(', ')}` : '; none is active'}`);
  }
  return recorded({ ...s, maintenance: s.maintenance.filter((m) => m.id !== id) }, 'maintenance-end', `maintenance:${id}`, stamp);
}

/** The pause that stops a check at `at`: its own, or the pause of everything. */
export const checkPause = (s: ControlsState, id: string, at: number): PauseRecord | undefined =>
  live(s, at).find((p) => 'all' in p.target || ('check' in p.target && p.target.check === id));

/** The pause that stops a rule's evaluation at `at`: its own, or the pause of everything. */
export const rulePause = (s: ControlsState, id: string, at: number): PauseRecord | undefined =>
  live(s, at).find((p) => 'all' in p.target || ('rule' in p.target && p.target.rule === id));

/** Why self-healing does not run for `rule`: off for it, or off everywhere. */
export const healingOff = (s: ControlsState, rule: string): HealingOffRecord | undefined =>
  s.selfHealingOff.find((h) => h.rule === undefined) ?? s.selfHealingOff.find((h) => h.rule === rule);

/**
 * The windows started now, as the monitor's one-off maintenance windows: one matching the rules
 * given, one per check given (alerts over a check carry its id as the label `check`), or one
 * that matches everything.
 */
export function maintenanceWindows(s: ControlsState): OneOffWindow[] {
  return s.maintenance.flatMap((m) => {
    const base = { kind: 'once' as const, id: m.id, start: new Date(m.start).toISOString(), end: new Date(m.end).toISOString() };
    if (!m.checks && !m.rules) return [base];
    return [
      ...(m.rules ? [{ ...base, match: { rules: m.rules } }] : []),
      ...(m.checks ?? []).map((check) => ({ ...base, match: { labels: { check } } })),
    ];
  });
}

const live = (s: ControlsState, at: number) => s.pauses.filter((p) => p.until === undefined || p.until > at);

function describe(t: ControlTarget): string {
  if ('all' in t) return 'monitoring as a whole';
  return 'check' in t ? `health check ${t.check}` : `alert rule ${t.rule}`;
}

function recorded(s: ControlsState, action: ControlAction, target: string, stamp: Stamp, until?: number): Changed {
  const change: ControlChange = { seq: s.seq + 1, action, target, ...stamp, ...(until === undefined ? {} : { until }) };
  return { state: { ...s, seq: change.seq, changes: [...s.changes, change].slice(-keptChanges) }, change };
}
