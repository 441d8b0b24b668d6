// Rules across documents: ids are unique per kind; references name documents that exist.
import type { Diagnostic } from '../diagnostics.ts';
import type { DocumentSet, Loaded } from '../document-set.ts';
import { locate } from '../source.ts';
import type { DocumentKind } from '../schema/index.ts';
import { shippedPlanIds } from '../package-root.ts';

/** Reports every document whose kind and id were already taken, naming both places. */
export function duplicateIds(docs: readonly Loaded[]): Diagnostic[] {
  const first = new Map<string, Loaded>();
  const out: Diagnostic[] = [];
  for (const d of docs) {
    const key = `${d.kind}/${d.id}`;
    const before = first.get(key);
    if (!before) { first.set(key, d); continue; }
    const there = locate(before.src, ['metadata', 'id']);
    out.push({ file: d.src.file, ...locate(d.src, ['metadata', 'id']), code: 'E_DUPLICATE_ID',
      message: `${d.kind} id \`${d.id}\` is also defined at ${before.src.file}:${there.line}:${there.col}; expected ids unique per kind` });
  }
  return out;
}

interface Reference { from: Loaded; path: Array<string | number>; kind: DocumentKind; id: string | undefined }

/** The plans a `remediate` names: `plan`, and each of the candidate `plans`. */
function planReferences(from: Loaded, remediate: { plan?: string; plans?: string[] } | undefined): Reference[] {
  const path = ['spec', 'remediate'];
  return [
    { from, path: [...path, 'plan'], kind: 'ActionPlan', id: remediate?.plan },
    ...(remediate?.plans ?? []).map((id, i): Reference => ({ from, path: [...path, 'plans', i], kind: 'ActionPlan', id })),
  ];
}

function references(set: DocumentSet): Reference[] {
  const refs: Reference[] = [];
  for (const rule of set.AlertRule.values()) {
    refs.push({ from: rule, path: ['spec', 'source', 'healthCheck'], kind: 'HealthCheck', id: rule.doc.spec.source.healthCheck });
    refs.push(...planReferences(rule, rule.doc.spec.remediate));
  }
  for (const check of set.HealthCheck.values()) refs.push(...planReferences(check, check.doc.spec.remediate));
  return refs;
}

/** Unknown references, each with the `Kind/id` it names. */
export function knownReferences(set: DocumentSet): Array<Diagnostic & { reference: string }> {
  // A shipped action plan (pipelines/ of pluginops) may be named without a copy in the project.
  const known = (kind: DocumentKind): string[] => [...set[kind].keys(), ...(kind === 'ActionPlan' ? [...shippedPlanIds()].filter((id) => !set.ActionPlan.has(id)) : [])];
  return references(set).filter((r) => r.id !== undefined && !known(r.kind).includes(r.id)).map((r) => ({
    reference: `${r.kind}/${r.id}`,
    file: r.from.src.file, ...locate(r.from.src, r.path), code: 'E_UNKNOWN_REFERENCE' as const,
    message: `${r.kind} \`${r.id}\` is not defined; expected one of: ${known(r.kind).join(', ') || `(no ${r.kind} documents loaded)`}`,
  }));
}
