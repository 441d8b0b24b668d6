// The closed set of step types. A step's `uses:` names one of the `uses` kinds; `run:` is the
// `run` kind. Adding a kind without a definition does not compile.
import type { StepDefinition, StepRegistry } from '../engine/step.ts';
import { approvalStep } from './approval/index.ts';
import { httpStep } from './http/index.ts';
import { notifyStep } from './notify/index.ts';
import { buildStep } from './plugin-build/index.ts';
import { deployStep } from './plugin-deploy/index.ts';
import { monitorStep } from './plugin-monitor/index.ts';
import { rollbackStep } from './plugin-rollback/index.ts';
import { securityScanStep } from './plugin-security-scan/index.ts';
import { testStep } from './plugin-test/index.ts';
import { validateStep } from './plugin-validate/index.ts';
import { runStep } from './run/index.ts';
import { taskStep } from './task/index.ts';
import { waitStep } from './wait/index.ts';

export type UsesKind =
  | 'http' | 'wait' | 'notify' | 'approval' | 'task'
  | 'plugin/validate' | 'plugin/build' | 'plugin/test' | 'plugin/security-scan'
  | 'plugin/deploy' | 'plugin/monitor' | 'plugin/rollback';
export type StepKind = UsesKind | 'run';

export const stepTypes = {
  run: runStep,
  http: httpStep,
  wait: waitStep,
  notify: notifyStep,
  approval: approvalStep,
  task: taskStep,
  'plugin/validate': validateStep,
  'plugin/build': buildStep,
  'plugin/test': testStep,
  'plugin/security-scan': securityScanStep,
  'plugin/deploy': deployStep,
  'plugin/monitor': monitorStep,
  'plugin/rollback': rollbackStep,
} satisfies Record<StepKind, StepDefinition>;

const byKind = new Map<string, StepDefinition>(Object.entries(stepTypes));

/** The registry the composition roots hand to plan() and to document checking. */
export const stepRegistry: StepRegistry = {
  uses: [...byKind.keys()].filter((kind) => kind !== 'run'),
  get: (kind) => byKind.get(kind),
};
