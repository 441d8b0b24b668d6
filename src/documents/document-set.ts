// The validated documents of a project, indexed by kind and id.
import type { DocumentKind, DocumentOf } from './schema/index.ts';
import type { SourceDocument } from './source.ts';

export interface Loaded<K extends DocumentKind = DocumentKind> {
  kind: K;
  id: string;
  doc: DocumentOf<K>;
  src: SourceDocument;
}

export type DocumentSet = { [K in DocumentKind]: Map<string, Loaded<K>> };

export const emptySet = (): DocumentSet => ({
  Workflow: new Map(), ActionPlan: new Map(), HealthCheck: new Map(), AlertRule: new Map(), Optimization: new Map(),
});

export function addTo<K extends DocumentKind>(set: DocumentSet, item: Loaded<K>): void {
  (set[item.kind] as Map<string, Loaded<K>>).set(item.id, item);
}

export const allDocuments = (set: DocumentSet): Loaded[] =>
  [...set.Workflow.values(), ...set.ActionPlan.values(), ...set.HealthCheck.values(), ...set.AlertRule.values(), ...set.Optimization.values()];
