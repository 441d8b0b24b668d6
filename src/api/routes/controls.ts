// Run-time controls: read them (read scope), change them (admin scope). Every change needs a
// `reason`; the token's name is recorded as who made it. Durations (`for`) are at most
// `maxControlDuration`. A check or rule the configuration does not define answers 404; a change
// the state does not allow (resuming what is not paused) 409.
import type { Changed } from '../../monitor/controls/apply.ts';
import type { Controls as ControlsPort } from '../../monitor/controls/controls.ts';
import { changeView } from '../../monitor/controls/view.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { Caller } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import {
  ControlChanged, Controls, EndMaintenanceBody, MaintenanceBody, maxControlDuration, PauseBody, ResumeBody, SelfHealingBody,
} from '../schemas/controls.ts';

function controlsOf(deps: ApiDeps): ControlsPort {
  const controls = deps.controls?.();
  if (!controls) throw new ApiError('unavailable', 'run-time controls are not available in this process');
  return controls;
}

const who = (caller: Caller, reason: string) => ({ by: caller.name ?? 'api', reason });

const answer = (controls: ControlsPort, { change }: Changed, message: string) => ({ data: { change: changeView(change), controls: controls.view() }, message });

const changed = { status: 200, description: 'The change as recorded, and the controls after it.', data: ControlChanged } as const;
const limits = `\`for\` is a duration such as \`30m\` or \`2h\`, at most \`${maxControlDuration}\`.`;

export const controlRoutes = [
  defineRoute({
    method: 'GET', path: '/api/controls', access: 'read', tag: 'controls', operationId: 'getControls',
    summary: 'The run-time controls in force and the recent changes',
    answer: { status: 200, description: 'Pauses, self-healing, maintenance started now, recent changes.', data: Controls },
    errors: ['unavailable'],
    async handle({ deps }) { return { data: controlsOf(deps).view() }; },
  }),
  defineRoute({
    method: 'POST', path: '/api/controls/pause', access: 'admin', tag: 'controls', operationId: 'pauseMonitoring',
    summary: 'Pause all monitoring, one health check or one alert rule',
    description: `A paused check does not run on its schedule; a paused rule is not evaluated, so its alerts stay as they are (a firing alert keeps firing, and its incident stays open, until the rule runs again). Pausing what is paused replaces the pause. Without \`for\` the pause lasts until resumed; ${limits}`,
    body: { kind: 'json', schema: PauseBody, description: 'What to pause, why, and optionally for how long.' },
    answer: changed, errors: ['notFound', 'unavailable'],
    async handle({ deps, body, caller }) {
      const controls = controlsOf(deps);
      const r = await controls.pause(body.target, body.for === undefined ? undefined : parseDuration(body.for), who(caller, body.reason));
      return answer(controls, r, `paused ${r.change.target}`);
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/controls/resume', access: 'admin', tag: 'controls', operationId: 'resumeMonitoring',
    summary: 'End a pause',
    description: 'The target runs again at its next slot. Resuming `all` ends the pause of all monitoring only; pauses of single checks and rules stay.',
    body: { kind: 'json', schema: ResumeBody, description: 'The target as it was paused, and why.' },
    answer: changed, errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, body, caller }) {
      const controls = controlsOf(deps);
      const r = await controls.resume(body.target, who(caller, body.reason));
      return answer(controls, r, `resumed ${r.change.target}`);
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/controls/self-healing', access: 'admin', tag: 'controls', operationId: 'setSelfHealing',
    summary: 'Turn self-healing off or on, everywhere or for one rule',
    description: 'While off, an incident whose remediation would run records `skipped: self-healing off` on its timeline and in the remediation log, and nothing runs. Turning it on applies to incidents that open, re-open or are joined from then on.',
    body: { kind: 'json', schema: SelfHealingBody, description: '`enabled`, optionally a rule, and why.' },
    answer: changed, errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, body, caller }) {
      const controls = controlsOf(deps);
      const r = await controls.selfHealing(body.enabled, body.rule, who(caller, body.reason));
      return answer(controls, r, `self-healing ${body.enabled ? 'on' : 'off'}${body.rule ? ` for rule ${body.rule}` : ''}`);
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/controls/maintenance', access: 'admin', tag: 'controls', operationId: 'startMaintenance',
    summary: 'Start a maintenance window now',
    description: `Silences notifications and remediation for the alerts it matches, like a window of \`monitoring.maintenance\`, from now for \`for\`; ${limits} Its id (\`maint-<n>\`) ends it early.`,
    body: { kind: 'json', schema: MaintenanceBody, description: 'How long, why, and optionally which checks or rules.' },
    answer: changed, errors: ['notFound', 'unavailable'],
    async handle({ deps, body, caller }) {
      const controls = controlsOf(deps);
      const r = await controls.startMaintenance({ durationMs: parseDuration(body.for), ...(body.checks ? { checks: body.checks } : {}), ...(body.rules ? { rules: body.rules } : {}) }, who(caller, body.reason));
      return answer(controls, r, `maintenance ${r.change.target.slice('maintenance:'.length)} until ${new Date(r.change.until!).toISOString()}`);
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/controls/maintenance/{id}/end', access: 'admin', tag: 'controls', operationId: 'endMaintenance',
    summary: 'End a maintenance window started at run time, now',
    body: { kind: 'json', schema: EndMaintenanceBody, description: 'Why it ends early.' },
    answer: changed, errors: ['notFound', 'unavailable'],
    async handle({ deps, params, body, caller }) {
      const controls = controlsOf(deps);
      const r = await controls.endMaintenance(params.id, who(caller, body.reason));
      return answer(controls, r, `maintenance ${params.id} ended`);
    },
  }),
];
