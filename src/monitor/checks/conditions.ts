// Conditions, Gatus-style: expressions over the probe's fields (`status == 200`,
// `json.status == 'ok'`, `contains(output, 'ready')`) in pluginops' expression language, where
// the field names take the place of the contexts.
// The prometheus default, `value`, holds when the first series' value is a number other than 0:
// an empty result, NaN and 0 fail, so query the healthy state (`up{job="api"}`, or a comparison
// with `bool` such as `rate(errors[5m]) < bool 0.05`). Note that comparisons coerce: `value !=
// null` is false for 0 as well, since null compares as 0.
import { compileWithContexts, evaluate, type Compiled } from '../../expressions/evaluate.ts';
import { errorText, type CheckFields, type ConditionResult } from './result.ts';

export type CheckType = 'http' | 'tcp' | 'command' | 'prometheus' | 'loki' | 'plugin';

/** The names a condition of this check type may use. */
export const fieldNames = {
  http: ['status', 'responseTime', 'body', 'json', 'certificateDaysLeft'],
  tcp: ['connected', 'responseTime'],
  command: ['exitCode', 'output', 'responseTime'],
  prometheus: ['value', 'series', 'responseTime'],
  loki: ['count', 'lines', 'truncated', 'responseTime'],
  plugin: ['healthy', 'detail', 'responseTime'],
} as const satisfies Record<CheckType, readonly string[]>;

/** What is checked when a HealthCheck gives no conditions. */
export const defaultConditions = {
  http: ['status >= 200 && status < 400'],
  tcp: ['connected'],
  command: ['exitCode == 0'],
  prometheus: ['value'],
  loki: ['count == 0'],
  plugin: ['healthy'],
} as const satisfies Record<CheckType, readonly string[]>;

export const conditionsFor = (type: CheckType, conditions: readonly string[] | undefined): readonly string[] =>
  conditions && conditions.length > 0 ? conditions : defaultConditions[type];

export interface ConditionProblem {
  /** Position in the `conditions` list. */
  index: number;
  message: string;
}

/** Conditions that do not parse, for the document validator (an error at validation time). */
export function checkConditions(type: CheckType, conditions: readonly string[]): ConditionProblem[] {
  const problems: ConditionProblem[] = [];
  conditions.forEach((source, index) => {
    try { compileCondition(type, source); } catch (e) {
      problems.push({ index, message: `condition \`${source}\`: ${errorText(e)}` });
    }
  });
  return problems;
}

/** Evaluates each condition against the fields; a condition that fails to parse or evaluate is not ok. */
export function evaluateConditions(type: CheckType, conditions: readonly string[], fields: CheckFields): ConditionResult[] {
  const context: CheckFields = Object.fromEntries(fieldNames[type].map((name) => [name, null]));
  Object.assign(context, fields);
  return conditions.map((expression) => {
    try {
      const value = evaluate(compileCondition(type, expression), context);
      return { expression, ok: Boolean(value) };
    } catch (e) {
      return { expression, ok: false, error: errorText(e) };
    }
  });
}

const cache = new Map<string, Compiled>();

function compileCondition(type: CheckType, source: string): Compiled {
  const key = `${type}\n${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileWithContexts(source, fieldNames[type]);
  if (cache.size > 1_000) cache.clear();
  cache.set(key, compiled);
  return compiled;
}
