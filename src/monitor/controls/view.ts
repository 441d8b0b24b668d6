// The controls as people read them (GET /api/controls, the `controls` section of /api/status,
// `pluginops controls`): times as ISO strings, and for each control whether it still names
// something the configuration defines (`matches`).
import { targetName, type ControlChange, type ControlsState, type ControlTarget } from './model.ts';

/** The ids the configuration defines now. */
export interface Known { checks: ReadonlyMap<string, unknown>; rules: ReadonlyMap<string, unknown> }

export interface StampView { by: string; at: string; reason: string }
export interface PauseView extends StampView { id: string; target: string; until?: string; matches: boolean }
export interface HealingOffView extends StampView { id: string; rule?: string; matches: boolean }
export interface MaintenanceView extends StampView { id: string; start: string; end: string; checks?: string[]; rules?: string[]; matches: boolean }
export interface ChangeView extends StampView { seq: number; action: ControlChange['action']; target: string; until?: string }

export interface ControlsView {
  /** `paused` when all monitoring is paused. */
  monitoring: 'running' | 'paused';
  pauses: PauseView[];
  selfHealing: { enabled: boolean; off: HealingOffView[] };
  maintenance: MaintenanceView[];
  /** Changes made so far (also those no longer listed in `changes`). */
  changeCount: number;
  /** The newest changes, oldest first. */
  changes: ChangeView[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const stampOf = (s: { by: string; at: number; reason: string }): StampView => ({ by: s.by, at: iso(s.at), reason: s.reason });

export const changeView = (c: ControlChange): ChangeView =>
  ({ seq: c.seq, action: c.action, target: c.target, ...stampOf(c), ...(c.until === undefined ? {} : { until: iso(c.until) }) });

export function matches(t: ControlTarget, known: Known): boolean {
  if ('all' in t) return true;
  return 'check' in t ? known.checks.has(t.check) : known.rules.has(t.rule);
}

export function controlsView(s: ControlsState, known: Known): ControlsView {
  return {
    monitoring: s.pauses.some((p) => 'all' in p.target) ? 'paused' : 'running',
    pauses: s.pauses.map((p) => ({ id: p.id, target: targetName(p.target), ...stampOf(p), ...(p.until === undefined ? {} : { until: iso(p.until) }), matches: matches(p.target, known) })),
    selfHealing: {
      enabled: !s.selfHealingOff.some((h) => h.rule === undefined),
      off: s.selfHealingOff.map((h) => ({ id: h.id, ...(h.rule === undefined ? {} : { rule: h.rule }), ...stampOf(h), matches: h.rule === undefined || known.rules.has(h.rule) })),
    },
    maintenance: s.maintenance.map((m) => ({
      id: m.id, ...stampOf(m), start: iso(m.start), end: iso(m.end), ...(m.checks ? { checks: m.checks } : {}), ...(m.rules ? { rules: m.rules } : {}),
      matches: (m.checks ?? []).every((c) => known.checks.has(c)) && (m.rules ?? []).every((r) => known.rules.has(r)),
    })),
    changeCount: s.seq,
    changes: s.changes.map(changeView),
  };
}
