// The one registry every loader and planner below the composition roots is handed: the step
// types of steps/ and the rules the monitor's and optimization's document kinds add. Only cli/, action/ and
// serve/ import this file (the layer test holds everything else to what it is passed).
import type { Registry } from '../engine/step.ts';
import { alertRuleRules } from '../monitor/documents/alert-rules.ts';
import { healthCheckRules } from '../monitor/documents/check-rules.ts';
import { optimizationRules } from '../optimize/documents.ts';
import { stepRegistry } from '../steps/registry.ts';

export const registry: Registry = {
  steps: stepRegistry,
  kinds: { HealthCheck: healthCheckRules, AlertRule: alertRuleRules, Optimization: optimizationRules },
};
