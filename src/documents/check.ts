// Checks one parsed document: its kind, its schema, and the rules over its steps.
import { describeValue, type Diagnostic } from './diagnostics.ts';
import type { Loaded } from './document-set.ts';
import { checkSchema, closest } from './schema-check.ts';
import { documentKinds, documentSchemas, isDocumentKind, type DocumentKind, type DocumentOf } from './schema/index.ts';
import { locate, type SourceDocument } from './source.ts';
import { alertRuleRules } from './rules/alert-rules.ts';
import { healthCheckRules } from './rules/check-conditions.ts';
import { expressionsResolve } from './rules/expressions.ts';
import { knownStepTypes } from './rules/step-types.ts';
import { parameterDeclarations } from './rules/parameter-defaults.ts';
import { arithmeticExpressions } from './rules/arithmetic.ts';
import { nulInStrings } from './rules/nul-strings.ts';
import { knownNeeds, noCycles, uniqueStepIds } from './rules/steps-structure.ts';
import type { StepsRule, StepsScope } from './rules/scope.ts';

const stepsRules: readonly StepsRule[] = [uniqueStepIds, knownNeeds, noCycles, knownStepTypes, expressionsResolve, parameterDeclarations, arithmeticExpressions];

export type Checked = { loaded?: Loaded; diagnostics: Diagnostic[] };

export function checkDocument(src: SourceDocument): Checked {
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
  if (loaded.kind === 'HealthCheck') return { loaded, diagnostics: healthCheckRules.flatMap((rule) => rule(loaded as Loaded<'HealthCheck'>)) };
  if (loaded.kind === 'AlertRule') return { loaded, diagnostics: alertRuleRules.flatMap((rule) => rule(loaded as Loaded<'AlertRule'>)) };
  const scope = stepsScope(loaded);
  return { loaded, diagnostics: scope ? stepsRules.flatMap((rule) => rule(scope)) : [] };
}

function stepsScope(d: Loaded): StepsScope | undefined {
  if (d.kind !== 'Workflow' && d.kind !== 'ActionPlan') return undefined;
  const spec = (d as Loaded<'Workflow'> | Loaded<'ActionPlan'>).doc.spec;
  return {
    src: d.src, base: ['spec', 'steps'], steps: spec.steps, parameters: spec.parameters,
    env: spec.env ? { path: ['spec', 'env'], value: spec.env } : undefined,
  };
}
