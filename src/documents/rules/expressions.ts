// Every `${{ }}` (and every `if:`) parses; `steps.X` is read only from a step upstream of the
// reader; `params.X` names a declared parameter when the document declares parameters.
import { ExpressionSyntaxError, compile, contextKeys, stepReferences, type Compiled } from '../../expressions/evaluate.ts';
import { TemplateError, parseTemplate, unwrapCondition } from '../../expressions/template.ts';
import { prepareScript } from '../../expressions/script.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { locateWithin, occurrencesBefore, type Path } from '../source.ts';
import { upstreamOf } from './graph.ts';
import type { StepsRule, StepsScope } from './scope.ts';

interface Found { path: Path; raw: string; source: string; occurrence: number }

/** Every string below `value` with its path. */
function* strings(value: unknown, path: Path): Generator<{ path: Path; text: string }> {
  if (typeof value === 'string') yield { path, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, [...path, k]);
}

function expressionsIn(value: unknown, path: Path, out: Diagnostic[], scope: StepsScope): Found[] {
  const found: Found[] = [];
  for (const s of strings(value, path)) {
    try {
      for (const part of parseTemplate(s.text)) {
        if (part.kind === 'expr') found.push({ path: s.path, raw: part.raw, source: part.source, occurrence: occurrencesBefore(s.text, part.raw, part.offset) });
      }
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      out.push({ file: scope.src.file, ...locateWithin(scope.src, s.path, '${{', occurrencesBefore(s.text, '${{', e.offset)), code: 'E_EXPRESSION', message: e.message });
    }
  }
  return found;
}

export const expressionsResolve: StepsRule = (scope) => {
  const out: Diagnostic[] = [];
  const isUpstream = upstreamOf(scope.steps);
  const stepIds = new Set(scope.steps.map((s) => s.id));
  const check = (f: Found, reader: string | undefined) => {
    let c: Compiled;
    try { c = compile(f.source); } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      out.push({ file: scope.src.file, ...locateWithin(scope.src, f.path, f.raw, f.occurrence), code: 'E_EXPRESSION', message: `in \`${f.source}\`: ${e.message}` });
      return;
    }
    for (const ref of stepReferences(c)) {
      if (reader !== undefined && isUpstream(reader, ref.step)) continue;
      const why = !stepIds.has(ref.step) ? `there is no step \`${ref.step}\``
        : reader === undefined ? 'document-level values are evaluated before any step runs'
        : ref.step === reader ? 'a step cannot read its own outputs'
        : `\`${ref.step}\` is not upstream of \`${reader}\` (add it to needs)`;
      out.push({ file: scope.src.file, ...locateWithin(scope.src, f.path, f.raw, f.occurrence), code: 'E_NOT_UPSTREAM',
        message: `\`${f.source}\` reads step \`${ref.step}\`, but ${why}; expected a step this one needs` });
    }
    if (scope.parameters) for (const name of contextKeys(c, 'params')) {
      if (Object.hasOwn(scope.parameters, name)) continue;
      out.push({ file: scope.src.file, ...locateWithin(scope.src, f.path, f.raw, f.occurrence), code: 'E_PARAMETER',
        message: `\`${f.source}\` reads parameter \`${name}\`, which is not declared; expected one of: ${Object.keys(scope.parameters).join(', ') || '(none)'}` });
    }
  };

  if (scope.env) for (const f of expressionsIn(scope.env.value, scope.env.path, out, scope)) check(f, undefined);
  scope.steps.forEach((step, i) => {
    const path = [...scope.base, i];
    const found = [
      ...expressionsIn(step.with, [...path, 'with'], out, scope),
      ...expressionsIn(step.env, [...path, 'env'], out, scope),
      ...expressionsIn(step.run, [...path, 'run'], out, scope),
    ];
    if (step.run !== undefined) {
      try {
        for (const p of prepareScript(step.run).problems) {
          const raw = step.run.slice(p.offset, step.run.indexOf('}}', p.offset) + 2);
          out.push({ file: scope.src.file, ...locateWithin(scope.src, [...path, 'run'], raw, occurrencesBefore(step.run, raw, p.offset)), code: 'E_EXPRESSION', message: p.message });
        }
      } catch { /* template errors are reported above */ }
    }
    if (step.if !== undefined) {
      const source = unwrapCondition(step.if);
      found.push({ path: [...path, 'if'], raw: source, source, occurrence: 0 });
    }
    for (const f of found) check(f, step.id);
  });
  return out;
};
