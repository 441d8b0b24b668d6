// `pluginops rules test FILE`: alert rules unit-tested against timestamped values, in the spirit
// of `promtool test rules`. A fixture names rule files, the spacing of values, and tests; each
// test gives series of values for sources and the alert states expected at given times.
//
//   rules: [../pipelines/alerts.yml]      # relative to the fixture; HealthChecks there give thresholds
//   interval: 1m
//   tests:
//     - name: slow answers fire after 2 minutes
//       series:
//         - source: { healthCheck: api, field: responseTime }
//           values: "100 100 900x4 100x3"
//         - source: { healthCheck: api }   # 1 = the probe passed, 0 = it failed
//           values: "1 1 0 0 0 1 1"
//       expect:
//         - { at: 3m, rule: api-slow, state: pending }
//         - { at: 5m, rule: api-slow, state: firing, severity: warning, labels: { check: api } }
//
// Values: numbers, `_` (no sample: nodata), `NaN`, and promtool's expansions `a+bxn` / `a-bxn`
// (a, a±b, …, n+1 values) and `axn` (n+1 copies). Sample i is at i × interval. A series feeds
// every rule whose source is the same; a status series goes through the check's failure and
// success thresholds. An expectation holds when every alert of the rule whose labels include the
// given ones is in that state (an alert never evaluated is `ok`).
import { Type, type Static } from '@sinclair/typebox';
import { parseDuration } from '../../engine/duration.ts';
import { catalogFor } from '../../notify/catalog/index.ts';
import { healthStep, type HealthState } from '../checks/health.ts';
import { alertTitle } from '../runtime/describe.ts';
import { advance, newAlert, type AlertEntry } from './alert.ts';
import type { CompiledRule } from './compile.ts';
import { judge, type Verdict } from './judge.ts';
import { AlertSource } from '../../documents/schema/operations.ts';
import { Duration, MapOf } from '../../documents/schema/common.ts';
import { PluginopsError } from '../../errors/base.ts';

const Series = Type.Object({
  source: AlertSource,
  labels: Type.Optional(MapOf(Type.String(), 'Series labels (a Prometheus series\' labels).')),
  values: Type.Union([Type.String(), Type.Array(Type.Union([Type.Number(), Type.Null()]))]),
}, { additionalProperties: false });

const Expectation = Type.Object({
  at: Duration,
  rule: Type.String(),
  state: Type.Union([Type.Literal('ok'), Type.Literal('pending'), Type.Literal('firing'), Type.Literal('resolved'), Type.Literal('nodata'), Type.Literal('error')]),
  severity: Type.Optional(Type.String()),
  labels: Type.Optional(MapOf(Type.String())),
}, { additionalProperties: false });

export const RuleFixture = Type.Object({
  rules: Type.Array(Type.String(), { minItems: 1, description: 'Files or directories with AlertRule (and HealthCheck) documents, relative to this file.' }),
  interval: Type.Optional(Duration),
  tests: Type.Array(Type.Object({
    name: Type.String({ minLength: 1 }),
    interval: Type.Optional(Duration),
    series: Type.Array(Series, { minItems: 1 }),
    expect: Type.Array(Expectation, { minItems: 1 }),
  }, { additionalProperties: false }), { minItems: 1 }),
}, { additionalProperties: false, description: 'A pluginops alert rule test fixture.' });

export type RuleFixtureDoc = Static<typeof RuleFixture>;
type SeriesDoc = Static<typeof Series>;

export class FixtureError extends PluginopsError {
  readonly code = 'E_FIXTURE';
  readonly kind = 'invalid';
  override name = 'FixtureError';
}

/** Expands promtool-style values; undefined stands for `_` (no sample). */
export function expandValues(values: string | ReadonlyArray<number | null>): Array<number | undefined> {
  if (typeof values !== 'string') return values.map((v) => (v === null ? undefined : v));
  const out: Array<number | undefined> = [];
  for (const token of values.trim().split(/\s+/).filter(Boolean)) {
    if (token === '_') { out.push(undefined); continue; }
    if (token === 'NaN') { out.push(Number.NaN); continue; }
    const m = /^(-?[\d.]+(?:e[+-]?\d+)?)(?:([+-])([\d.]+(?:e[+-]?\d+)?))?x(\d+)$/i.exec(token);
    if (m) {
      const start = Number(m[1]), step = m[3] ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0, n = Number(m[4]);
      if (!Number.isFinite(start) || !Number.isFinite(step)) throw new FixtureError(`"${token}" is not a value; expected a number, _, NaN, or a+bxn / axn`);
      if (n > 100_000) throw new FixtureError(`"${token}" expands to more than 100,000 values`);
      for (let i = 0; i <= n; i++) out.push(start + step * i);
      continue;
    }
    const v = Number(token);
    if (token === '' || Number.isNaN(v)) throw new FixtureError(`"${token}" is not a value; expected a number, _, NaN, or a+bxn / axn`);
    out.push(v);
  }
  return out;
}

export interface Thresholds { failureThreshold: number; successThreshold: number }

export interface Failure { at: string; rule: string; message: string }
export interface TestOutcome { name: string; ok: boolean; failures: Failure[] }

const sameSource = (rule: CompiledRule, s: SeriesDoc['source']): boolean => {
  const r = rule.source;
  switch (r.kind) {
    case 'status': return s.healthCheck === r.check && s.field === undefined;
    case 'field': return s.healthCheck === r.check && s.field === r.field;
    case 'prometheus': return s.prometheus === r.query;
    case 'loki': return s.loki === r.query;
    case 'metric': return s.metric === r.metric && (r.plugin === undefined || s.plugin === r.plugin);
  }
};

/** Runs one test of a fixture against the compiled rules. */
export function runRuleTest(
  test: RuleFixtureDoc['tests'][number], rules: ReadonlyMap<string, CompiledRule>, intervalMs: number,
  thresholds: (check: string) => Thresholds, locale: 'en' | 'ko' = 'en',
): TestOutcome {
  const step = test.interval ? parseDuration(test.interval) : intervalMs;
  const catalog = catalogFor(locale);
  const failures: Failure[] = [];
  for (const e of test.expect) if (!rules.has(e.rule)) failures.push({ at: e.at, rule: e.rule, message: `no AlertRule \`${e.rule}\` in the rule files (found: ${[...rules.keys()].join(', ') || 'none'})` });
  const feeds = test.series.map((s) => {
    const matched = [...rules.values()].filter((r) => sameSource(r, s.source));
    if (matched.length === 0) throw new FixtureError(`test "${test.name}": no rule reads the series ${JSON.stringify(s.source)}`);
    return { series: s, values: expandValues(s.values), rules: matched };
  });
  const alerts = new Map<string, AlertEntry>();
  const health = new Map<string, HealthState>();
  const expectations = test.expect.map((e) => ({ ...e, atMs: parseDuration(e.at) })).sort((a, b) => a.atMs - b.atMs);
  const length = Math.max(...feeds.map((f) => f.values.length));
  const lastAt = Math.max(expectations.at(-1)?.atMs ?? 0, (length - 1) * step);
  let next = 0;
  for (let t = 0; t <= lastAt; t += step) {
    const i = t / step;
    for (const feed of feeds) {
      if (i >= feed.values.length) continue;
      const v = feed.values[i];
      for (const rule of feed.rules) {
        const labels = { ...rule.labels, ...(rule.source.kind === 'status' || rule.source.kind === 'field' ? { check: rule.source.check } : {}), ...(feed.series.source.plugin ? { plugin: feed.series.source.plugin } : {}), ...feed.series.labels };
        const key = `${rule.id}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
        let entry = alerts.get(key);
        if (!entry) { entry = newAlert(rule, labels, t); alerts.set(key, entry); }
        let verdict: Verdict | undefined;
        if (v === undefined) verdict = { condition: 'nodata' };
        else if (rule.source.kind === 'status') {
          const check = rule.source.check;
          const { next: h } = healthStep(health.get(check), { ok: v !== 0 }, thresholds(check));
          health.set(check, h);
          verdict = h.healthy ? { condition: 'ok' } : { condition: 'firing', severity: rule.severity, reason: { kind: 'unhealthy', check, detail: 'failing' } };
        } else verdict = judge(rule, entry.base, t, v);
        if (!verdict) continue;
        const title = verdict.condition === 'firing' ? alertTitle(rule, labels, verdict.reason, catalog) : undefined;
        advance(rule, entry, verdict, title, t);
      }
    }
    while (next < expectations.length && expectations[next]!.atMs < t + step) {
      const e = expectations[next++]!;
      if (!rules.has(e.rule)) continue;
      const matching = [...alerts.values()].filter((a) => a.rec.ruleId === e.rule && Object.entries(e.labels ?? {}).every(([k, v]) => a.rec.labels[k] === v));
      const states = matching.length ? matching.map((a) => ({ labels: a.rec.labels, state: a.rec.state.state, severity: a.rec.state.severity })) : [{ labels: e.labels ?? {}, state: 'ok' as const, severity: undefined }];
      for (const s of states) {
        const where = Object.keys(s.labels).length ? `${e.rule}{${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')}}` : e.rule;
        if (s.state !== e.state) failures.push({ at: e.at, rule: e.rule, message: `${where}: expected ${e.state}, found ${s.state}` });
        else if (e.severity !== undefined && s.state === 'firing' && s.severity !== e.severity) failures.push({ at: e.at, rule: e.rule, message: `${where}: expected severity ${e.severity}, found ${s.severity}` });
      }
    }
  }
  return { name: test.name, ok: failures.length === 0, failures };
}
