// A run's failure risk as the API shows it (the execution record's `risk`, the answer of a start).
import { Type } from '@sinclair/typebox';
import { factorNames, type RiskAssessment as RiskAssessmentModel } from '../../store/risk.ts';
import { StringEnum, Strict } from './common.ts';
import type { Describes } from './describes.ts';

const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

export const RiskFactor = Strict({
  name: StringEnum(factorNames),
  value: Share('From 0 (no risk) to 1.'),
  weight: Type.Number({ minimum: 0, description: 'Its weight in the score (the project\'s `risk.weights`, or the default).' }),
  detail: Type.String({ description: 'The value in words.' }),
});

const FunctionComplexity = Strict({
  file: Type.String(), name: Type.String(), line: Type.Integer({ minimum: 1 }), endLine: Type.Integer({ minimum: 1 }),
  complexity: Type.Integer({ minimum: 1, description: 'Cyclomatic complexity: 1 + decision points.' }),
  language: StringEnum(['python', 'javascript'] as const),
});

export const ChangeSummary = Strict({
  base: Type.String(), head: Type.String(),
  files: Type.Integer({ minimum: 0 }), linesAdded: Type.Integer({ minimum: 0 }), linesDeleted: Type.Integer({ minimum: 0 }),
  manifests: Type.Array(Type.String()), dependencyFiles: Type.Array(Type.String()),
  codeFiles: Type.Integer({ minimum: 0 }), testFiles: Type.Integer({ minimum: 0 }),
  functions: Type.Array(FunctionComplexity, { description: 'Touched Python/JavaScript functions, most complex first (at most 20).' }),
  maxComplexity: Type.Integer({ minimum: 0 }),
  unmeasured: Type.Optional(Type.Array(Strict({ file: Type.String(), reason: Type.String() }))),
}, 'What the change between the base and the head touches in the plugin.');

export const RiskAssessment = Strict({
  score: Type.Union([Share('The weighted score.'), Type.Null()], { description: 'The weighted score from 0 to 1; null when there is not enough history (see `reason`).' }),
  probability: Type.Optional(Share('The probability of failure calibrated on the project\'s history, when it allows a calibration.')),
  level: StringEnum(['low', 'medium', 'high', 'unknown'] as const, 'From the probability when there is one, else from the score.'),
  confidence: StringEnum(['low', 'medium', 'high'] as const, 'From the amount of history behind the figures.'),
  history: Type.Integer({ minimum: 0, description: 'Finished executions of the workflow the history factors read.' }),
  reason: Type.Optional(Type.String()),
  factors: Type.Array(RiskFactor),
  change: Type.Optional(ChangeSummary),
  at: Type.String({ format: 'date-time' }),
}, 'The failure risk assessed before the run started.');

true satisfies Describes<typeof RiskAssessment, RiskAssessmentModel>;
