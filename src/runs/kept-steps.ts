// What a run taken up again (after an approval, or on a retry) keeps of its earlier steps.
import type { StepResult } from '../engine/runner.ts';
import type { ExecutionRecord } from '../store/types.ts';

/**
 * The steps of a run taken up again that keep their earlier result: those that succeeded, less
 * every step downstream (through `needs`, transitively) of a step that runs again.
 */
export function keptSteps(graph: { steps: ReadonlyArray<{ id: string; needs: readonly string[] }> }, record: Pick<ExecutionRecord, 'steps'>): Map<string, StepResult> {
  const succeeded = new Map<string, StepResult>();
  for (const s of Object.values(record.steps)) {
    const conclusion = s.conclusion ?? s.status;
    if (conclusion === 'success') succeeded.set(s.id, { status: s.status, conclusion, outputs: s.outputs, attempts: s.attempts });
  }
  const rerun = new Set(graph.steps.filter((s) => !succeeded.has(s.id)).map((s) => s.id));
  // Steps come in an order where needs are listed first only by chance: repeat until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const s of graph.steps) {
      if (!rerun.has(s.id) && s.needs.some((n) => rerun.has(n))) { rerun.add(s.id); changed = true; }
    }
  }
  for (const id of rerun) succeeded.delete(id);
  return succeeded;
}
