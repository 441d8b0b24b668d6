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

/** Every step each step transitively needs. Unknown needs and cycles are ignored (other rules report them). */
export function ancestors(nodes: readonly Node[]): Map<string, Set<string>> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    path.add(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need) || path.has(need)) continue;
      out.add(need);
      for (const a of visit(need, path)) out.add(a);
    }
    path.delete(id);
    memo.set(id, out);
    return out;
  };
  for (const n of nodes) visit(n.id, new Set());
  return memo;
}
