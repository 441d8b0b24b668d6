// What the step rules look at: one document's step list and where it sits in the file.
import type { StepTypeTable } from '../registry.ts';
import type { ParameterDoc, StepDoc } from '../schema/index.ts';
import type { Path, SourceDocument } from '../source.ts';
import type { Diagnostic, DiagnosticCode } from '../diagnostics.ts';
import { locate } from '../source.ts';

export interface StepsScope {
  src: SourceDocument;
  /** Path of the step list in the document, e.g. ['spec', 'steps']. */
  base: Path;
  steps: readonly StepDoc[];
  /** The step types a `uses:` may name. */
  types: StepTypeTable;
  parameters?: Record<string, ParameterDoc>;
  /** Path of the document-level `env`, whose expressions see no step. */
  env?: { path: Path; value: Record<string, unknown> };
}

export type StepsRule = (scope: StepsScope) => Diagnostic[];

export const at = (scope: StepsScope, path: Path, code: DiagnosticCode, message: string, where: 'value' | 'key' = 'value'): Diagnostic =>
  ({ file: scope.src.file, ...locate(scope.src, path, where), code, message });
