// What checking documents needs from the layers above it, passed in rather than imported: the
// step types a `uses:` may name (each with the schema of its `with:`), and the rules a document
// kind adds beyond its schema (a HealthCheck's conditions, an AlertRule's single source). The
// composition roots build one registry (wiring/registry.ts) and hand it to every loader.
import type { Diagnostic } from './diagnostics.ts';
import type { Loaded } from './document-set.ts';
import type { StepTypeInfo } from './schema/editor.ts';
import type { DocumentKind } from './schema/index.ts';

/** The step types by name. */
export interface StepTypeTable {
  /** The kinds a `uses:` may name (every kind but `run`, which is written `run:`). */
  readonly uses: readonly string[];
  get(kind: string): StepTypeInfo | undefined;
}

/** One rule over a whole document of kind `K`. */
export type KindRule<K extends DocumentKind> = (doc: Loaded<K>) => Diagnostic[];

/** The rules each kind adds; Workflow and ActionPlan get the step rules of documents/ itself. */
export type KindRules = { readonly [K in DocumentKind]?: readonly KindRule<K>[] };

export interface DocumentRegistry {
  readonly steps: StepTypeTable;
  readonly kinds: KindRules;
}
