// The runbook catalog as the API shows it: each action plan with what a person needs to run it
// (its typed parameters with their defaults, whether a run waits for approval and under which
// rules) and its steps in order. The parameter and approval shapes are the documents' own schemas.
import { Type } from '@sinclair/typebox';
import { ActionPlanCategory, Approval } from '../../documents/schema/operations.ts';
import { Parameter } from '../../documents/schema/workflow.ts';
import { Strict, StringEnum } from './common.ts';

export const RunbookStep = Strict({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  uses: Type.Optional(Type.String({ description: 'The step type; absent for a `run:` script.' })),
  needs: Type.Optional(Type.Array(Type.String())),
});

export const Runbook = Strict({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String({ description: 'The plan\'s `spec.description`, else its `metadata.description`.' })),
  category: Type.Optional(ActionPlanCategory),
  file: Type.String({ description: 'The file it is defined in, relative to the project root (or to the package for templates).' }),
  source: StringEnum(['project', 'template'] as const, '`project`: the project\'s documents; `template`: shipped with pluginops (the project\'s own win).'),
  parameters: Type.Record(Type.String(), Parameter, { description: 'What a run takes (`data` of `POST /api/runs`), by name, as declared.' }),
  approval: Type.Optional(Approval),
  steps: Type.Array(RunbookStep, { description: 'In the order the document lists them.' }),
});

export const RunbooksQuery = Strict({
  category: Type.Optional(ActionPlanCategory),
});
