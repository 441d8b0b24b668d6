// Every `uses:` names a known step type, and its `with:` matches that type's input schema.
import { closest } from '../schema-check.ts';
import { checkSchema } from '../schema-check.ts';
import { at, type StepsRule } from './scope.ts';

const isTemplate = (v: unknown) => typeof v === 'string' && v.includes('${{');

export const knownStepTypes: StepsRule = (scope) => scope.steps.flatMap((step, i) => {
  const path = [...scope.base, i];
  if (step.uses === undefined) {
    return step.with === undefined ? [] : [at(scope, [...path, 'with'], 'E_UNKNOWN_KEY', 'a `run` step takes no `with:`; expected `env:` for values the script reads', 'key')];
  }
  const type = scope.types.uses.includes(step.uses) ? scope.types.get(step.uses) : undefined;
  if (!type) {
    const hint = closest(step.uses, scope.types.uses);
    return [at(scope, [...path, 'uses'], 'E_UNKNOWN_STEP_TYPE',
      `unknown step type \`${step.uses}\`; ${hint ? `did you mean \`${hint}\`? ` : ''}expected one of: ${scope.types.uses.join(', ')}`)];
  }
  // Values holding expressions are only known at run time: they are checked then, and here
  // every problem about such a value (or a union above it) is left out.
  return checkSchema(scope.src, step.with ?? {}, type.inputs, [...path, 'with'], 'with', isTemplate);
});
