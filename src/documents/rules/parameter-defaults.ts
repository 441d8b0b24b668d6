// A parameter's own declaration holds together: its default has the declared type, is in its
// enum, matches its pattern and format (the checks a run makes on every value, so `validate`
// agrees with `run`), and its pattern is a regular expression. Approval steps' parameters
// (what Modify may change) are declared the same way and checked the same way.
import type { ParameterDoc } from '../schema/index.ts';
import { checkParameterValue, compilePattern } from '../parameters/value.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { Path } from '../source.ts';
import { at, type StepsRule, type StepsScope } from './scope.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function declarationProblems(scope: StepsScope, declared: Record<string, unknown>, base: Path): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, value] of Object.entries(declared)) {
    if (!isRecord(value)) continue;
    const p = value as ParameterDoc;
    const path = [...base, name];
    const type = p.type ?? 'string';
    if (type !== 'string') {
      for (const key of ['pattern', 'format'] as const) {
        if (p[key] !== undefined) out.push(at(scope, [...path, key], 'E_PARAMETER', `parameter \`${name}\` is a ${type}, which takes no \`${key}\`; expected \`type: string\` or no \`${key}\``, 'key'));
      }
    }
    if (p.pattern !== undefined) {
      const re = compilePattern(p.pattern);
      if (re instanceof Error) {
        out.push(at(scope, [...path, 'pattern'], 'E_PARAMETER', `parameter \`${name}\` has the pattern /${p.pattern}/, which is not a regular expression (${re.message}); expected a JavaScript regular expression`));
        continue;
      }
    }
    if (p.default === undefined) continue;
    const checked = checkParameterValue(name, p, p.default);
    if (!checked.ok) out.push(at(scope, [...path, 'default'], 'E_PARAMETER', `the default does not hold: ${checked.message}; a run that does not set it would fail with E_PARAMETER`));
  }
  return out;
}

export const parameterDeclarations: StepsRule = (scope) => [
  ...(scope.parameters ? declarationProblems(scope, scope.parameters, ['spec', 'parameters']) : []),
  ...scope.steps.flatMap((step, i) => {
    const declared = step.uses === 'approval' && isRecord(step.with) ? step.with.parameters : undefined;
    return isRecord(declared) ? declarationProblems(scope, declared, [...scope.base, i, 'with', 'parameters']) : [];
  }),
];
