// Pure queries over folded executions: filtering and ordering for `list` (figures: statistics.ts).
import type { ExecutionFilter, ExecutionRecord } from './types.ts';

/** Executions matching `filter`, newest first (by createdAt), at most `filter.limit`. */
export function selectExecutions(records: readonly ExecutionRecord[], filter: ExecutionFilter = {}): ExecutionRecord[] {
  const matching = records.filter((r) =>
    (filter.plugin === undefined || isPlugin(r, filter.plugin)) &&
    (filter.status === undefined || r.status === filter.status) &&
    (filter.workflow === undefined || r.workflow === filter.workflow) &&
    (filter.category === undefined || r.category === filter.category) &&
    (filter.kind === undefined || (r.kind ?? 'Workflow') === filter.kind) &&
    inWindow(Date.parse(r.createdAt), filter)
  );
  matching.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || compareText(b.id, a.id));
  return filter.limit === undefined ? matching : matching.slice(0, Math.max(0, filter.limit));
}

/** Whether `at` is inside `[since, until)`; either end may be open. */
function inWindow(at: number, filter: Pick<ExecutionFilter, 'since' | 'until'>): boolean {
  return (filter.since === undefined || at >= filter.since) && (filter.until === undefined || at < filter.until);
}

/**
 * Whether an execution is about a plugin named by its manifest id, its directory (as given, with
 * or without `./` and a trailing slash), or a plan's `plugin` parameter.
 */
export function isPlugin(r: Pick<ExecutionRecord, 'plugin' | 'pluginId' | 'parameters'>, name: string): boolean {
  const path = (p: string) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return r.pluginId === name || (r.plugin !== undefined && path(r.plugin) === path(name)) || r.parameters.plugin === name;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
