// Run-time controls as the API shows and takes them: pauses, self-healing off, maintenance windows
// started now, and the recent changes, each with who (the token's name), when and why.
import { Type } from '@sinclair/typebox';
import { DurationAtMost, Id } from '../../documents/schema/common.ts';
import { controlActions } from '../../monitor/controls/model.ts';
import type { ControlsView } from '../../monitor/controls/view.ts';
import type { Describes } from './describes.ts';
import { StringEnum, Strict } from './common.ts';

/** The longest pause or maintenance window one request may ask for. */
export const maxControlDuration = '30d';

const Time = Type.String({ format: 'date-time' });
const stamp = {
  by: Type.String({ description: 'The name of the token that made the change.' }),
  at: Time,
  reason: Type.String(),
};
const Reason = Type.String({ minLength: 1, maxLength: 1_000, pattern: '\\S', description: 'Why; required, recorded with the change.' });
const For = DurationAtMost(maxControlDuration);

export const PausedBy = Strict({ ...stamp, until: Type.Optional(Time) }, 'Who paused it, when, why, and until when when the pause ends by itself.');

export const Target = Type.Union([
  Strict({ all: Type.Literal(true) }, 'All monitoring: every check and rule (the incident tick goes on).'),
  Strict({ check: Id }, 'One health check: its scheduled runs stop.'),
  Strict({ rule: Id }, 'One alert rule: it is not evaluated, so its alerts neither fire nor resolve.'),
], { description: 'What to pause or resume.' });

export const PauseBody = Strict({ target: Target, reason: Reason, for: Type.Optional(For) });
export const ResumeBody = Strict({ target: Target, reason: Reason });
export const SelfHealingBody = Strict({
  enabled: Type.Boolean(), rule: Type.Optional(Id), reason: Reason,
}, 'Without `rule`, self-healing as a whole; with it, that rule only.');
export const MaintenanceBody = Strict({
  for: For, reason: Reason,
  checks: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Only alerts over these checks; with neither this nor `rules`, every alert.' })),
  rules: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 100, uniqueItems: true, description: 'Only alerts of these rules.' })),
});
export const EndMaintenanceBody = Strict({ reason: Reason });

const matches = Type.Boolean({ description: 'False when the check or rule it names is no longer in the configuration (a reload removed it); the control stays recorded.' });

export const Controls = Strict({
  monitoring: StringEnum(['running', 'paused'] as const, '`paused` while all monitoring is paused.'),
  pauses: Type.Array(Strict({ id: Type.String(), target: Type.String({ description: '`all`, `check:<id>` or `rule:<id>`.' }), ...stamp, until: Type.Optional(Time), matches })),
  selfHealing: Strict({
    enabled: Type.Boolean({ description: 'False while self-healing is off everywhere.' }),
    off: Type.Array(Strict({ id: Type.String(), rule: Type.Optional(Type.String()), ...stamp, matches })),
  }),
  maintenance: Type.Array(Strict({
    id: Type.String(), ...stamp, start: Time, end: Time, checks: Type.Optional(Type.Array(Type.String())), rules: Type.Optional(Type.Array(Type.String())), matches,
  }), { description: 'Maintenance windows started at run time and still active.' }),
  changeCount: Type.Integer({ minimum: 0, description: 'Changes made since the controls file was created.' }),
  changes: Type.Array(Strict({
    seq: Type.Integer({ minimum: 1 }), action: StringEnum(controlActions), target: Type.String(), ...stamp, until: Type.Optional(Time),
  }), { description: 'The newest changes (at most 100), oldest first.' }),
});

export const ControlChanged = Strict({
  change: Strict({ seq: Type.Integer({ minimum: 1 }), action: StringEnum(controlActions), target: Type.String(), ...stamp, until: Type.Optional(Time) }),
  controls: Controls,
});

true satisfies Describes<typeof Controls, ControlsView>;
