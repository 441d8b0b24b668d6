// Run-time controls as plain data: pauses (all monitoring, one health check, one alert rule),
// self-healing turned off (everywhere or for one rule), maintenance windows started now, and the
// recent changes with who made them, when and why. The TypeBox schemas are the single source of
// the types and of the check a file read back must pass (file.ts). Times are ms since the epoch.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ minLength: 1 });
const Ms = Type.Number();

/** What a pause or a resume names: everything, one health check, or one alert rule. */
export const ControlTarget = Type.Union([
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object({ check: Text }, { additionalProperties: false }),
  Type.Object({ rule: Text }, { additionalProperties: false }),
]);

const stamp = { by: Text, at: Ms, reason: Text };

export const PauseRecord = Type.Object({ id: Text, target: ControlTarget, ...stamp, until: Type.Optional(Ms) }, { additionalProperties: false });
export const HealingOffRecord = Type.Object({ id: Text, rule: Type.Optional(Text), ...stamp }, { additionalProperties: false });
export const MaintenanceRecord = Type.Object({
  id: Text, ...stamp, start: Ms, end: Ms, checks: Type.Optional(Type.Array(Text)), rules: Type.Optional(Type.Array(Text)),
}, { additionalProperties: false });

export const controlActions = ['pause', 'resume', 'self-healing-off', 'self-healing-on', 'maintenance-start', 'maintenance-end'] as const;
export const ControlChange = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  action: Type.Union(controlActions.map((a) => Type.Literal(a))),
  /** `all`, `check:<id>`, `rule:<id>`, `self-healing` (global) or `maintenance:<id>`. */
  target: Text,
  ...stamp,
  until: Type.Optional(Ms),
}, { additionalProperties: false });

export const ControlsState = Type.Object({
  version: Type.Literal(1),
  /** Changes made so far (the sequence number of the last one); the `changes` list keeps only the newest. */
  seq: Type.Integer({ minimum: 0 }),
  pauses: Type.Array(PauseRecord),
  selfHealingOff: Type.Array(HealingOffRecord),
  maintenance: Type.Array(MaintenanceRecord),
  changes: Type.Array(ControlChange),
}, { additionalProperties: false });

export type ControlTarget = Static<typeof ControlTarget>;
export type PauseRecord = Static<typeof PauseRecord>;
export type HealingOffRecord = Static<typeof HealingOffRecord>;
export type MaintenanceRecord = Static<typeof MaintenanceRecord>;
export type ControlAction = typeof controlActions[number];
export type ControlChange = Static<typeof ControlChange>;
export type ControlsState = Static<typeof ControlsState>;

/** Who asks, why, and when. */
export interface Stamp { by: string; at: number; reason: string }

/** The newest changes kept in the file and shown; older ones stay in the log and the journal. */
export const keptChanges = 100;

export const emptyControls = (): ControlsState => ({ version: 1, seq: 0, pauses: [], selfHealingOff: [], maintenance: [], changes: [] });

/** A target as one word: `all`, `check:<id>`, `rule:<id>`. */
export function targetName(t: ControlTarget): string {
  if ('all' in t) return 'all';
  return 'check' in t ? `check:${t.check}` : `rule:${t.rule}`;
}
