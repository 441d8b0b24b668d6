// An AlertRule document turned into what evaluation needs: durations in ms, defaults filled in,
// the trend level resolved to a number. The document rules (documents/rules/alert-rules.ts) have
// already checked that the combination makes sense; `compileRule` still refuses what it cannot use.
import type { AlertRuleDoc } from '../../documents/schema/operations.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { Category, Severity } from '../../documents/schema/alerting.ts';
import { levelProblem, type Direction, type Levels } from '../math/levels.ts';
import { defaultMadThreshold } from '../math/mad.ts';
import { defaultMinSamples, defaultZThreshold } from '../math/zscore.ts';
import { PluginopsError } from '../../errors/base.ts';

export type RuleSource =
  | { kind: 'status'; check: string }
  | { kind: 'field'; check: string; field: string }
  | { kind: 'prometheus'; query: string; server?: string }
  | { kind: 'loki'; query: string; windowMs: number; server?: string }
  | { kind: 'metric'; metric: string; plugin?: string };

export interface AnomalySpec {
  method: 'zscore' | 'mad'; window: number; threshold: number; minSamples: number; minStd?: number;
  /** Which deviations count: both ways unless the rule gives a `direction`. */
  sides: 'both' | 'above' | 'below';
}
export interface TrendSpec { window: number; level: number; levelName?: string; horizonMs: number; minR2: number; minSamples: number }

export interface CompiledRule {
  id: string;
  name: string;
  source: RuleSource;
  /** How often query and metric sources are evaluated; check sources follow their check. */
  everyMs: number;
  levels?: Levels;
  direction: Direction;
  anomaly?: AnomalySpec;
  trend?: TrendSpec;
  /** Severity of a firing that is not a level: the check is down, an anomaly, a predicted crossing. */
  severity: Severity;
  category: Category;
  summary?: string;
  labels: Record<string, string>;
  forMs: number;
  keepFiringForMs: number;
  flapDetection: boolean;
  notify: { channels?: string[]; escalate: boolean };
  /** Samples an alert keeps for its baselines (the larger of the anomaly and trend windows). */
  keep: number;
}

export const defaultEveryMs = 60_000;
export const defaultWindow = 100;
export const defaultLokiWindowMs = 5 * 60_000;

export class RuleCompileError extends PluginopsError {
  readonly code = 'E_RULE';
  readonly kind = 'invalid';
  override name = 'RuleCompileError';
}

export function compileRule(doc: AlertRuleDoc): CompiledRule {
  const { spec, metadata } = doc;
  const fail = (why: string): never => { throw new RuleCompileError(`AlertRule ${metadata.id}: ${why}`); };
  const direction = spec.direction ?? 'above';
  const s = spec.source;
  const source: RuleSource = s.healthCheck !== undefined
    ? (s.field !== undefined ? { kind: 'field', check: s.healthCheck, field: s.field } : { kind: 'status', check: s.healthCheck })
    : s.prometheus !== undefined ? { kind: 'prometheus', query: s.prometheus, ...(s.server ? { server: s.server } : {}) }
      : s.loki !== undefined ? { kind: 'loki', query: s.loki, windowMs: s.window ? parseDuration(s.window) : defaultLokiWindowMs, ...(s.server ? { server: s.server } : {}) }
        : s.metric !== undefined ? { kind: 'metric', metric: s.metric, ...(s.plugin ? { plugin: s.plugin } : {}) }
          : fail('no source; expected one of healthCheck, prometheus, loki, metric');
  if (spec.levels) {
    const why = levelProblem(spec.levels, direction);
    if (why) fail(why);
  }
  const anomaly: AnomalySpec | undefined = spec.anomaly && {
    method: spec.anomaly.method ?? 'zscore',
    window: spec.anomaly.window ?? defaultWindow,
    threshold: spec.anomaly.threshold ?? (spec.anomaly.method === 'mad' ? defaultMadThreshold : defaultZThreshold),
    minSamples: spec.anomaly.minSamples ?? defaultMinSamples,
    ...(spec.anomaly.minStd !== undefined ? { minStd: spec.anomaly.minStd } : {}),
    sides: spec.direction ?? 'both',
  };
  let trend: TrendSpec | undefined;
  if (spec.trend) {
    const t = spec.trend;
    const level = typeof t.level === 'number' ? t.level : spec.levels?.[t.level];
    if (level === undefined) fail(`trend level \`${String(t.level)}\` is not among levels`);
    trend = {
      window: t.window ?? defaultWindow, level: level as number, ...(typeof t.level === 'string' ? { levelName: t.level } : {}),
      horizonMs: parseDuration(t.horizon), minR2: t.minConfidence ?? 0.7, minSamples: t.minSamples ?? defaultMinSamples,
    };
  }
  if (source.kind !== 'status' && !spec.levels && !anomaly && !trend) fail('a rule on a value needs levels, anomaly or trend');
  return {
    id: metadata.id, name: metadata.name ?? metadata.id, source,
    everyMs: spec.every ? parseDuration(spec.every) : defaultEveryMs,
    ...(spec.levels ? { levels: spec.levels } : {}), direction,
    ...(anomaly ? { anomaly } : {}), ...(trend ? { trend } : {}),
    severity: spec.severity ?? (source.kind === 'status' ? 'critical' : 'warning'),
    category: spec.category ?? 'system',
    ...(spec.summary ? { summary: spec.summary } : {}),
    labels: { ...metadata.labels, ...spec.labels },
    forMs: spec.for ? parseDuration(spec.for) : 0,
    keepFiringForMs: spec.keepFiringFor ? parseDuration(spec.keepFiringFor) : 0,
    flapDetection: spec.flapDetection ?? true,
    notify: { ...(spec.notify?.channels ? { channels: spec.notify.channels } : {}), escalate: spec.notify?.escalate ?? true },
    keep: Math.max(anomaly?.window ?? 0, trend?.window ?? 0),
  };
}
