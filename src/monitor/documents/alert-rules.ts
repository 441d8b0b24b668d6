// An AlertRule's own rules, beyond its shape: exactly one source; `field` only with a health
// check, `plugin` only with a metric, `window` only with Loki; a status source (a health check
// without `field`) takes no numeric conditions and a numeric source needs at least one; levels
// are ordered toward worse; a trend names a level that exists.
import { levelProblem } from '../math/levels.ts';
import type { Diagnostic, DiagnosticCode } from '../../documents/diagnostics.ts';
import type { Loaded } from '../../documents/document-set.ts';
import { locate, type Path } from '../../documents/source.ts';

type Rule = Loaded<'AlertRule'>;

const sources = ['healthCheck', 'prometheus', 'loki', 'metric'] as const;

const at = (rule: Rule, path: Path, code: DiagnosticCode, message: string, where: 'value' | 'key' = 'value'): Diagnostic =>
  ({ file: rule.src.file, ...locate(rule.src, path, where), code, message });

export function oneSource(rule: Rule): Diagnostic[] {
  const { source } = rule.doc.spec;
  const given = sources.filter((s) => source[s] !== undefined);
  const out: Diagnostic[] = [];
  if (given.length !== 1) {
    out.push(at(rule, ['spec', 'source'], given.length ? 'E_VALUE' : 'E_REQUIRED',
      `${given.length ? `found ${given.map((g) => `\`${g}\``).join(' and ')}` : 'found no source'}; expected exactly one of ${sources.map((s) => `\`${s}\``).join(', ')}`, 'key'));
  }
  const only = (field: 'field' | 'plugin' | 'window', owners: ReadonlyArray<(typeof sources)[number]>) => {
    if (source[field] !== undefined && !owners.some((o) => source[o] !== undefined)) {
      out.push(at(rule, ['spec', 'source', field], 'E_VALUE', `\`${field}\` applies only with ${owners.map((o) => `\`${o}\``).join(' or ')}`, 'key'));
    }
  };
  only('field', ['healthCheck']);
  only('plugin', ['metric']);
  only('window', ['loki']);
  if (source.server !== undefined && source.prometheus === undefined && source.loki === undefined) {
    out.push(at(rule, ['spec', 'source', 'server'], 'E_VALUE', '`server` applies only with `prometheus` or `loki`', 'key'));
  }
  return out;
}

export function conditionsFit(rule: Rule): Diagnostic[] {
  const { spec } = rule.doc;
  const numeric = ['levels', 'anomaly', 'trend'] as const;
  const given = numeric.filter((n) => spec[n] !== undefined);
  const status = spec.source.healthCheck !== undefined && spec.source.field === undefined;
  if (status && given.length) {
    return [at(rule, ['spec', given[0]!], 'E_VALUE', `a rule on a health check's status fires while the check is unhealthy and takes no \`${given[0]}\`; add \`source.field\` (e.g. responseTime) to judge a value`, 'key')];
  }
  if (!status && given.length === 0 && sources.some((s) => spec.source[s] !== undefined)) {
    return [at(rule, ['spec'], 'E_REQUIRED', 'a rule on a value needs a condition; expected `levels`, `anomaly` or `trend` under spec', 'key')];
  }
  return [];
}

export function levelsOrdered(rule: Rule): Diagnostic[] {
  const { levels, direction, trend } = rule.doc.spec;
  const out: Diagnostic[] = [];
  if (levels !== undefined) {
    const why = levelProblem(levels, direction ?? 'above');
    if (why) out.push(at(rule, ['spec', 'levels'], 'E_VALUE', why, 'key'));
  }
  if (trend !== undefined && typeof trend.level === 'string' && levels?.[trend.level] === undefined) {
    out.push(at(rule, ['spec', 'trend', 'level'], 'E_VALUE', `trend level \`${trend.level}\` is not among levels; expected one of: ${Object.keys(levels ?? {}).join(', ') || '(no levels given; give a number instead)'}`));
  }
  return out;
}

export const alertRuleRules: ReadonlyArray<(rule: Rule) => Diagnostic[]> = [oneSource, conditionsFit, levelsOrdered];
