// Turns the schema sources into the files under `schemas/` (npm run schemas; a test fails when
// the committed files differ): one per document kind and the project file, shaped for editors
// (editor.ts), and `document.schema.json`, which picks a document's schema by its `kind` so that
// an editor setting can map a whole folder of mixed documents to one file.
import type { TSchema } from '@sinclair/typebox';
import type { StepTypeTable } from '../registry.ts';
import { editorStep, expressionDef, placeErrorMessages, type JsonSchema, type StepTypeInfo } from './editor.ts';
import { documentKinds, documentSchemas, schemaFiles } from './index.ts';
import { Step } from './workflow.ts';

const draft = 'https://json-schema.org/draft/2020-12/schema';

/** The step types written `uses:` (the `run` kind is written `run:`), by name. */
const usesTypes = (steps: StepTypeTable): Record<string, StepTypeInfo> =>
  Object.fromEntries(steps.uses.flatMap((kind) => { const info = steps.get(kind); return info ? [[kind, info]] : []; }));

export function toJsonSchema(schema: TSchema, steps: StepTypeTable): JsonSchema {
  const step = editorStep(Step, usesTypes(steps));
  let hasSteps = false;
  const plain: unknown = JSON.parse(JSON.stringify(schema, (_key, value: unknown) => {
    if (value !== Step) return value;
    hasSteps = true;
    return step;
  }));
  return { $schema: draft, ...(placeErrorMessages(plain) as JsonSchema), ...(hasSteps ? { $defs: { expression: expressionDef } } : {}) };
}

const fileOf = (schema: TSchema): string => {
  const found = Object.entries(schemaFiles).find(([, s]) => s === schema);
  if (!found) throw new Error('a document kind has no schema file');
  return found[0];
};

/** Any document, checked by the schema file of its `kind` (referenced, not copied). */
export function documentSchema(): JsonSchema {
  return {
    $schema: draft,
    description: 'A pluginops document (Workflow, ActionPlan, HealthCheck or AlertRule), checked by the schema of its `kind`.',
    type: 'object',
    required: ['kind'],
    properties: {
      kind: { type: 'string', enum: documentKinds, enumDescriptions: documentKinds.map((k) => documentSchemas[k].description ?? k) },
    },
    allOf: documentKinds.map((k) => ({
      if: { properties: { kind: { const: k } }, required: ['kind'] },
      then: { $ref: fileOf(documentSchemas[k]) },
    })),
  };
}

const render = (json: JsonSchema): string => JSON.stringify(json, null, 2) + '\n';

/** Every file under `schemas/`, by name, as written, with the `with:` of the step types given. */
export function publishedSchemas(steps: StepTypeTable): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, schema] of Object.entries(schemaFiles)) files[file] = render(toJsonSchema(schema, steps));
  files['document.schema.json'] = render(documentSchema());
  return files;
}
