// The factors' names in words.
import type { FactorName } from '../store/risk.ts';

export const factorLabels: Record<FactorName, string> = {
  workflowFailures: 'workflow failures', stepFailures: 'step failures', pluginFailures: 'plugin failures',
  flakySteps: 'flaky steps', sinceLastSuccess: 'since last success', changeSize: 'change size',
  sensitiveFiles: 'dependencies, manifest', untestedChange: 'untested change', complexity: 'complexity', offHours: 'off hours',
};
