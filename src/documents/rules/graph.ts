// Graph helpers over steps and their `needs`, shared by the rules and the planner.

export interface Node { id: string; needs?: readonly string[] }

/** A cycle through `needs`, as the list of ids along it (first id repeated at the end), if any. */
export function findCycle(nodes: readonly Node[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need) || need === id) continue; // a step needing itself is its own error
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const n of nodes) {
    const cycle = visit(n.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Whether `ancestor` is upstream of `step` (reachable through `needs`), answered by a search
 * from `step`; nothing is precomputed, so graphs where few steps read others stay linear.
 * Unknown needs and cycles are ignored (other rules report them).
 */
export function upstreamOf(nodes: readonly Node[]): (step: string, ancestor: string) => boolean {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, Set<string>>();
  const closure = (start: string): Set<string> => {
    const known = memo.get(start);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...(byId.get(start)?.needs ?? [])];
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id) || id === start || !byId.has(id)) continue;
      seen.add(id);
      stack.push(...(byId.get(id)?.needs ?? []));
    }
    memo.set(start, seen);
    return seen;
  };
  return (step, ancestor) => closure(step).has(ancestor);
}
