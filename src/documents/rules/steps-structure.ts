// Step ids are unique; every `needs` names a step of the same document; `needs` has no cycle.
import { closest } from '../schema-check.ts';
import { findCycle } from './graph.ts';
import { at, type StepsRule } from './scope.ts';

export const uniqueStepIds: StepsRule = (scope) => {
  const first = new Map<string, number>();
  return scope.steps.flatMap((step, i) => {
    const before = first.get(step.id);
    if (before === undefined) { first.set(step.id, i); return []; }
    const line = at(scope, [...scope.base, before, 'id'], 'E_DUPLICATE_STEP', '').line;
    return [at(scope, [...scope.base, i, 'id'], 'E_DUPLICATE_STEP', `step id \`${step.id}\` is used twice (first at line ${line}); expected unique step ids`)];
  });
};

export const knownNeeds: StepsRule = (scope) => {
  const ids = [...new Set(scope.steps.map((s) => s.id))];
  const known = new Set(ids);
  return scope.steps.flatMap((step, i) => (step.needs ?? []).flatMap((need, j) => {
    if (known.has(need) && need !== step.id) return [];
    const hint = closest(need, ids.filter((id) => id !== step.id));
    const message = need === step.id
      ? `step \`${step.id}\` needs itself; expected other steps`
      : `step \`${step.id}\` needs \`${need}\`, which is not a step here; ${hint ? `did you mean \`${hint}\`? ` : ''}expected one of: ${ids.filter((id) => id !== step.id).join(', ')}`;
    return [at(scope, [...scope.base, i, 'needs', j], 'E_UNKNOWN_NEEDS', message)];
  }));
};

export const noCycles: StepsRule = (scope) => {
  const cycle = findCycle(scope.steps);
  if (!cycle) return [];
  const start = cycle[0]!;
  const index = scope.steps.findIndex((s) => s.id === start);
  const next = cycle[1]!;
  const needIndex = scope.steps[index]?.needs?.indexOf(next) ?? -1;
  return [at(scope, [...scope.base, index, 'needs', ...(needIndex >= 0 ? [needIndex] : [])], 'E_CYCLE',
    `steps form a cycle through needs: ${cycle.join(' → ')}; expected needs without cycles`)];
};
