// Workflows and action plans as the API lists, shows and saves them. The documents themselves
// are described by the same schemas that validate files (src/documents/schema/).
import { Type } from '@sinclair/typebox';
import { ActionPlan } from '../../documents/schema/operations.ts';
import { Workflow } from '../../documents/schema/workflow.ts';
import { StringEnum, Strict } from './common.ts';

export const RunnableKind = StringEnum(['Workflow', 'ActionPlan'] as const);
const Source = StringEnum(['project', 'template'] as const, '`project`: the project\'s documents; `template`: shipped with pluginops (the project\'s own win).');

export const WorkflowSummary = Strict({
  id: Type.String(),
  kind: RunnableKind,
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  file: Type.String({ description: 'The file it is defined in, relative to the project root (or to the package for templates).' }),
  source: Source,
});

export const WorkflowDetail = Strict({
  ...WorkflowSummary.properties,
  document: Type.Union([Workflow, ActionPlan]),
});

export const WorkflowDocument = Type.Union([Workflow, ActionPlan], { description: 'One Workflow or ActionPlan document, as YAML or JSON; `metadata.id` must equal the id in the path.' });
