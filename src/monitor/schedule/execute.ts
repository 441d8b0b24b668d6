// Runs one job body and turns whatever it does into a result: undefined when it resolved, the
// error's message when it threw synchronously or rejected. Never rejects, so a failing job can
// neither crash the process nor leave an unhandled rejection.
import type { JobRun, JobSpec } from './types.ts';

export async function execute(spec: JobSpec, run: JobRun): Promise<string | undefined> {
  try {
    await spec.run(run);
    return undefined;
  } catch (e) {
    return describe(e);
  }
}

export function describe(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
