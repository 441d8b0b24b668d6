// Checks one parsed document: its kind, its schema, and the rules over its steps.
import { describeValue, type Diagnostic } from './diagnostics.ts';
import type { Loaded } from './document-set.ts';
import { checkSchema, closest } from './schema-check.ts';
import { documentKinds, documentSchemas, isDocumentKind, type DocumentKind, type DocumentOf } from './schema/index.ts';
import { locate, type SourceDocument } from './source.ts';
import { expressionsResolve } from './rules/expressions.ts';
import { knownStepTypes } from './rules/step-types.ts';
import { parameterDeclarations } from './rules/parameter-defaults.ts';
import { arithmeticExpressions } from './rules/arithmetic.ts';
import { nulInStrings } from './rules/nul-strings.ts';
import { knownNeeds, noCycles, uniqueStepIds } from './rules/steps-structure.ts';
import type { StepsRule, StepsScope } from './rules/scope.ts';
import type { DocumentRegistry, KindRules, StepTypeTable } from './registry.ts';

const stepsRules: readonly StepsRule[] = [uniqueStepIds, knownNeeds, noCycles, knownStepTypes, expressionsResolve, parameterDeclarations, arithmeticExpressions];

export type Checked = { loaded?: Loaded; diagnostics: Diagnostic[] };

export function checkDocument(src: SourceDocument, registry: DocumentRegistry): Checked {
  const value = src.value as Record<string, unknown> | null;
  const kind = value && typeof value === 'object' && !Array.isArray(value) ? value.kind : undefined;
  if (!isDocumentKind(kind)) {
    const found = kind === undefined ? 'no `kind`' : `kind ${describeValue(kind)}`;
    const hint = typeof kind === 'string' ? closest(kind, documentKinds) : undefined;
    return { diagnostics: [{ file: src.file, ...locate(src, ['kind']), code: 'E_UNKNOWN_KIND', message: `found ${found}; ${hint ? `did you mean \`${hint}\`? ` : ''}expected one of: ${documentKinds.join(', ')}` }] };
  }
  const nul = nulInStrings(src);
  if (nul.length) return { diagnostics: nul };
  const structural = checkSchema(src, value, documentSchemas[kind], [], kind);
  if (structural.length) return { diagnostics: structural };
  const doc = value as DocumentOf<typeof kind>;
  const loaded = { kind, id: doc.metadata.id, doc, src } as Loaded<DocumentKind>;
  const scope = stepsScope(loaded, registry.steps);
  return { loaded, diagnostics: [...kindRules(registry.kinds, loaded), ...(scope ? stepsRules.flatMap((rule) => rule(scope)) : [])] };
}

const kindRules = <K extends DocumentKind>(kinds: KindRules, d: Loaded<K>): Diagnostic[] =>
  (kinds[d.kind] ?? []).flatMap((rule) => rule(d));

function stepsScope(d: Loaded, types: StepTypeTable): StepsScope | undefined {
  if (d.kind !== 'Workflow' && d.kind !== 'ActionPlan') return undefined;
  const spec = (d as Loaded<'Workflow'> | Loaded<'ActionPlan'>).doc.spec;
  return {
    src: d.src, base: ['spec', 'steps'], steps: spec.steps, types, parameters: spec.parameters,
    env: spec.env ? { path: ['spec', 'env'], value: spec.env } : undefined,
  };
}
