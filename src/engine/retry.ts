// Whether a step's failure retries at all; how many times and after how long is the step's
// RetryPolicy (src/retry/).
import type { StepRetry } from './plan.ts';

export type FailureKind = 'failure' | 'timeout';

/** The failure is one the step's `retry.on` (and, for a failure, `retry.exitCodes`) names. */
export function shouldRetry(policy: StepRetry, kind: FailureKind, exitCode: number | undefined): boolean {
  if (!policy.on.includes(kind)) return false;
  if (kind === 'failure' && policy.exitCodes && (exitCode === undefined || !policy.exitCodes.includes(exitCode))) return false;
  return true;
}
