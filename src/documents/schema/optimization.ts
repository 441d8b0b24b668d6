// Optimization: which plugins are analysed, from which metrics, by which analyzers, and the
// runbook (ActionPlan) that applies each kind of suggestion (ADR 0017). Metrics are named once
// under `metrics` and analyzers refer to them by name, so a typo is one located error.
import { Type, type Static } from '@sinclair/typebox';
import { DurationAtMost, Id, MapOf, StringEnum, documentEnvelope } from './common.ts';
import { Levels } from './operations.ts';

const Window = DurationAtMost('90d');

const ProcessSource = Type.Object({
  pidFile: Type.Optional(Type.String({ minLength: 1, description: 'A file holding the pid of the plugin\'s process, relative to the project root; `${{ plugin }}` is the plugin\'s id.' })),
  cgroup: Type.Optional(Type.String({ minLength: 1, description: 'A cgroup (v2) directory such as `/sys/fs/cgroup/system.slice/resizer.service`; `${{ plugin }}` is the plugin\'s id.' })),
  measure: StringEnum(['cpu', 'memory'] as const, '`cpu`: cores used (1.0 = one core busy) between two samples; `memory`: resident bytes (RSS, or the cgroup\'s `memory.current`).'),
  every: Type.Optional(DurationAtMost('1h')),
}, {
  additionalProperties: false,
  oneOf: [{ required: ['pidFile'] }, { required: ['cgroup'] }],
  errorMessage: 'a process source needs exactly one of `pidFile` or `cgroup`',
  description: 'Samples a locally running plugin\'s process every `every` (default 15s) while `serve` runs.',
});

export const MetricSource = Type.Object({
  prometheus: Type.Optional(Type.String({ minLength: 1, description: 'A PromQL query read as a range over the window, one series per plugin: `${{ plugin }}` is the plugin\'s id, e.g. `rate(process_cpu_seconds_total{job="${{ plugin }}"}[5m])`.' })),
  step: Type.Optional(DurationAtMost('1d')),
  server: Type.Optional(Type.String({ description: 'prometheus: the server\'s base URL; `monitoring.prometheus.url` of the project file when absent.' })),
  pushed: Type.Optional(Type.String({ minLength: 1, description: 'A pushed metric (`POST /api/metrics`), the plugin\'s own samples.' })),
  healthCheck: Type.Optional(Type.String({ pattern: Id.pattern, description: 'A HealthCheck\'s results: `field` `responseTime` (ms) or `errorRate` (the share of failed results, per sample 0 or 1).' })),
  field: Type.Optional(StringEnum(['responseTime', 'errorRate'] as const)),
  process: Type.Optional(ProcessSource),
  unit: Type.Optional(Type.String({ maxLength: 16, description: 'Shown beside values, e.g. `ms`, `cores`, `bytes`.' })),
}, {
  additionalProperties: false,
  oneOf: [{ required: ['prometheus'] }, { required: ['pushed'] }, { required: ['healthCheck'] }, { required: ['process'] }],
  errorMessage: 'a metric needs exactly one source: `prometheus`, `pushed`, `healthCheck` or `process`',
});

const MetricRef = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$', description: 'The name of a metric under `metrics`.' });

export const Apply = Type.Object({
  runbook: Id,
  with: Type.Optional(MapOf(Type.Unknown(), 'Parameters of the runbook; strings may hold `${{ plugin }}`, `${{ value }}` (the suggested value) and `${{ previous }}` (the value it replaces).')),
  revert: Type.Optional(Type.Object({
    runbook: Type.Optional(Id),
    with: Type.Optional(MapOf(Type.Unknown(), 'Parameters of the revert run; `${{ value }}` is then the value to go back to. Absent: `apply.with` with `value` set to `previous`.')),
  }, { additionalProperties: false, description: 'How a change that made things worse is undone (default: the same runbook back to the previous value).' })),
}, { additionalProperties: false, description: 'The ActionPlan that applies this kind of suggestion, and its parameters.' });

const common = {
  enabled: Type.Optional(Type.Boolean({ description: 'Default true.' })),
  apply: Type.Optional(Apply),
};

const WorkersAnalyzer = Type.Object({
  ...common,
  latency: MetricRef,
  utilization: Type.Optional(MetricRef),
  current: MetricRef,
  target: Type.Number({ exclusiveMinimum: 0, description: 'The latency (in the metric\'s unit) the p90 should stay under.' }),
  margin: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Headroom added to the computed count (default 0.15).' })),
  min: Type.Optional(Type.Integer({ minimum: 1, description: 'Floor (default 1).' })),
  max: Type.Optional(Type.Integer({ minimum: 1, description: 'Ceiling (default 64).' })),
}, { additionalProperties: false, description: 'Worker count from the latency p90 against `target` and the utilisation: more workers when latency is over target, fewer when it is far under and utilisation is low.' });

const ResourcesAnalyzer = Type.Object({
  ...common,
  cpu: Type.Optional(MetricRef),
  memory: Type.Optional(MetricRef),
  oomEvents: Type.Optional(MetricRef),
  currentCpu: Type.Optional(MetricRef),
  currentMemory: Type.Optional(MetricRef),
  margin: Type.Optional(Type.Number({ minimum: 0, maximum: 2, description: 'Buffer added to the percentile (default 0.15).' })),
  oomBump: Type.Optional(Type.Number({ minimum: 0, maximum: 5, description: 'Extra share of memory after out-of-memory events in the window (default 0.2).' })),
  change: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Suggest only when the new limit differs from the current one by more than this share (default 0.1).' })),
}, { additionalProperties: false, description: 'CPU limit from the decaying p90 (VPA-like) and memory limit from the p95 and the maximum, plus `margin`; bumped after out-of-memory events.' });

const CacheAnalyzer = Type.Object({
  ...common,
  hitRatio: MetricRef,
  latency: Type.Optional(MetricRef),
  current: Type.Optional(MetricRef),
  target: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'The hit ratio to reach (default 0.8).' })),
  adjust: Type.Optional(StringEnum(['size', 'ttl'] as const, 'What the suggestion changes (default size).')),
  max: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Ceiling on the suggested size or TTL.' })),
}, { additionalProperties: false, description: 'Cache size or TTL from a hit ratio under `target`.' });

const ErrorsAnalyzer = Type.Object({
  ...common,
  errorRate: MetricRef,
  rise: Type.Optional(Type.Number({ exclusiveMinimum: 1, description: 'The recent error rate must be this many times the baseline (default 2).' })),
  floor: Type.Optional(Type.Number({ minimum: 0, description: 'An error rate under this is never a rise (default 0.01).' })),
  recent: Type.Optional(DurationAtMost('7d')),
  loki: Type.Optional(Type.String({ minLength: 1, description: 'A LogQL log query for the plugin\'s error lines (`${{ plugin }}` is its id); the top message templates are grouped from it.' })),
}, { additionalProperties: false, description: 'A rise of the error rate over its baseline → a diagnostic runbook, the top error signatures and the likely cause.' });

const ThresholdRule = Type.Object({
  ...common,
  metric: MetricRef,
  levels: Levels,
  direction: Type.Optional(StringEnum(['above', 'below'] as const)),
  for: Type.Optional(DurationAtMost('7d')),
  value: Type.Optional(Type.Number({ description: 'The value `${{ value }}` takes in `apply.with`.' })),
}, { additionalProperties: false, description: 'A metric beyond a level for `for` (default 10m): the relevant runbook is suggested.' });

export const OptimizationSpec = Type.Object({
  plugins: Type.Array(Id, { minItems: 1, uniqueItems: true, description: 'The plugins analysed; `${{ plugin }}` is each one\'s id in queries and parameters.' }),
  every: Type.Optional(DurationAtMost('1d')),
  window: Type.Optional(Window),
  halfLife: Type.Optional(Window),
  minSamples: Type.Optional(Type.Integer({ minimum: 3, description: 'No suggestion from fewer samples (default 100).' })),
  minSpan: Type.Optional(Window),
  metrics: MapOf(MetricSource, 'Named metrics the analyzers read.'),
  analyzers: Type.Object({
    workers: Type.Optional(WorkersAnalyzer),
    resources: Type.Optional(ResourcesAnalyzer),
    cache: Type.Optional(CacheAnalyzer),
    errors: Type.Optional(ErrorsAnalyzer),
    thresholds: Type.Optional(Type.Array(ThresholdRule, { minItems: 1 })),
  }, { additionalProperties: false }),
  verify: Type.Optional(Type.Object({
    warmUp: Type.Optional(DurationAtMost('1d')),
    window: Type.Optional(DurationAtMost('7d')),
    minSamples: Type.Optional(Type.Integer({ minimum: 3, description: 'Fewer samples on either side: inconclusive (default 20).' })),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5, description: 'Significance of the rank-sum test (default 0.05).' })),
    minEffect: Type.Optional(Type.Number({ minimum: 0, maximum: 10, description: 'The smallest change of the median that counts, as a share (default 0.1).' })),
    revert: Type.Optional(Type.Boolean({ description: 'Undo a change that made things worse (default true).' })),
  }, { additionalProperties: false, description: 'How an applied suggestion is judged: the expected metric over `window` after `warmUp`, against the same window before the change.' })),
  guardrails: Type.Optional(Type.Object({
    cooldown: Type.Optional(DurationAtMost('30d')),
    timeout: Type.Optional(DurationAtMost('1d')),
    dryRun: Type.Optional(Type.Boolean({ description: 'Record what would run and run nothing.' })),
    requireApproval: Type.Optional(Type.Boolean({ description: 'A person approves each apply run before its first step (the runbook\'s own approval always holds).' })),
    backup: Type.Optional(Type.Boolean({ description: 'A pinned safety backup of the project (store, documents, releases) before each apply, so `pluginops backup restore ID` undoes what the runbook changed there (default true).' })),
  }, { additionalProperties: false })),
  notify: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Channels told of verdicts (succeeded, reverted, inconclusive, failed); `monitoring.notify` when absent.' })),
}, { additionalProperties: false });

export const Optimization = documentEnvelope('Optimization', OptimizationSpec, 'A pluginops optimization: metrics per plugin, analyzers, and the runbooks that apply their suggestions.');
export type OptimizationDoc = Static<typeof Optimization>;
export type MetricSourceDoc = Static<typeof MetricSource>;
export type ApplyDoc = Static<typeof Apply>;
export type WorkersSettings = Static<typeof WorkersAnalyzer>;
export type ResourcesSettings = Static<typeof ResourcesAnalyzer>;
export type CacheSettings = Static<typeof CacheAnalyzer>;
export type ErrorsSettings = Static<typeof ErrorsAnalyzer>;
export type ThresholdSettings = Static<typeof ThresholdRule>;
