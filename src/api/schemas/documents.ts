// The project's documents as the API lists, shows, writes and deletes them. The documents
// themselves are described by the same schemas that validate files (src/documents/schema/).
import { Type } from '@sinclair/typebox';
import { documentKinds } from '../../documents/schema/index.ts';
import { ActionPlan, AlertRule, HealthCheck } from '../../documents/schema/operations.ts';
import { Workflow } from '../../documents/schema/workflow.ts';
import { StringEnum, Strict } from './common.ts';

export const DocumentKindName = StringEnum(documentKinds, 'The document\'s `kind`, spelled as in the file.');

export const DocumentSummary = Strict({
  id: Type.String(),
  kind: DocumentKindName,
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  file: Type.String({ description: 'The file it is defined in, relative to the project root.' }),
});

const everyKind = [Workflow, ActionPlan, HealthCheck, AlertRule];

export const DocumentDetail = Strict({
  ...DocumentSummary.properties,
  document: Type.Union(everyKind),
});

export const DocumentBodySchema = Type.Union(everyKind, {
  description: 'One document of the kind in the path, as YAML or JSON; validated like a file.',
});

export const DocumentSaved = Strict({
  id: Type.String(),
  kind: DocumentKindName,
  file: Type.String({ description: 'Where it was written, relative to the project root.' }),
  created: Type.Boolean({ description: 'True when the file is new (201), false when it replaced the previous version (200).' }),
});

export const DocumentRemoved = Strict({
  id: Type.String(),
  kind: DocumentKindName,
  file: Type.String({ description: 'The file removed, relative to the project root.' }),
});
