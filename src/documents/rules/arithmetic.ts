// A warning, not an error: an expression written where bash reads arithmetic (`$(( ))`,
// `(( ))`, `let`, `[[ … -eq … ]]`, array subscripts) is evaluated by bash as an arithmetic
// expression, and arithmetic can run commands (`a[$(cmd)]`). The value still arrives as an
// environment variable; it is bash that evaluates it.
import { arithmeticUses, type ArithmeticUse } from '../../expressions/arithmetic.ts';
import { locateWithin, occurrencesBefore } from '../source.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { StepsRule } from './scope.ts';

export const arithmeticExpressions: StepsRule = (scope) => scope.steps.flatMap((step, i): Diagnostic[] => {
  if (step.run === undefined) return [];
  let uses: ArithmeticUse[];
  try { uses = arithmeticUses(step.run); } catch { return []; /* template errors are reported by the expressions rule */ }
  const path = [...scope.base, i, 'run'];
  return uses.map((u) => ({
    file: scope.src.file, ...locateWithin(scope.src, path, u.raw, occurrencesBefore(step.run!, u.raw, u.offset)),
    code: 'W_ARITHMETIC', severity: 'warning',
    message: `\`${u.raw}\` is read by bash in ${u.context.startsWith('a') ? u.context : `\`${u.context}\``}, which evaluates the value as arithmetic: a value such as \`a[$(cmd)]\` runs cmd; check the value first (e.g. \`[[ $V =~ ^[0-9]+$ ]]\` on an env: variable) or declare the parameter as a number`,
  }));
});
