// The closed set of step types. A step's `uses:` names one of the `uses` kinds; `run:` is the
// `run` kind. Adding a kind without a definition does not compile.
import type { StepDefinition } from './types.ts';
import { httpStep } from './http/index.ts';
import { runStep } from './run/index.ts';
import { waitStep } from './wait/index.ts';

export type UsesKind = 'http' | 'wait';
export type StepKind = UsesKind | 'run';

export const stepTypes = {
  run: runStep,
  http: httpStep,
  wait: waitStep,
} satisfies Record<StepKind, StepDefinition>;

export type StepRegistry = Record<string, StepDefinition>;
export const usesKinds = Object.keys(stepTypes).filter((k) => k !== 'run') as UsesKind[];
export const isUsesKind = (k: string): k is UsesKind => k !== 'run' && Object.hasOwn(stepTypes, k);
