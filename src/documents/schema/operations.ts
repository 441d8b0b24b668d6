// ActionPlan, HealthCheck and AlertRule: the operations documents. This is their first cut;
// the monitoring and remediation capabilities complete them.
import { Type, type Static } from '@sinclair/typebox';
import { AlertCategory, AlertSeverity } from './alerting.ts';
import { Duration, Timeout, EnvMap, Id, MapOf, StringEnum, documentEnvelope } from './common.ts';
import { Parameter, RunsOn, Step } from './workflow.ts';

export const ActionPlanCategory = StringEnum(
  ['system', 'security', 'performance', 'deploy', 'backup', 'maintenance', 'diagnostics'] as const,
  'What the plan is for; lists and the API group plans by it.');

export const Approval = Type.Object({
  required: Type.Boolean({ description: 'Whether a run must be approved before its first step starts.' }),
  approvers: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, uniqueItems: true, description: 'Who may approve (user names); anyone with write access when absent.' })),
  quorum: Type.Optional(Type.Integer({ minimum: 1, description: 'How many distinct approvals a run needs (default 1).' })),
  timeout: Type.Optional(Duration),
  onTimeout: Type.Optional(StringEnum(['reject', 'approve'] as const, 'What happens to a run still waiting after `timeout` (default reject).')),
  fourEyes: Type.Optional(Type.Boolean({ description: 'The person who started a run may not approve it.' })),
  channels: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Channels asked for the decision (Slack ones get buttons); the project\'s default notifications when absent, else `monitoring.notify`.' })),
}, { additionalProperties: false, description: 'Approval required before a run\'s first step: the run waits (status `waiting`, kept across restarts) until approved or rejected with `pluginops approve|reject`, the API or Slack. The plan\'s parameters are what an approver may modify.' });

export const Concurrency = Type.Object({
  key: Type.Optional(Type.String({ minLength: 1, description: 'An expression template such as `${{ params.plugin }}`: at most one run at a time per distinct key. Absent: one run at a time per target (the `plugin` or `target` parameter when the plan has one), else per plan.' })),
}, { additionalProperties: false, description: 'Runs of the plan that may not overlap: a run whose key is held by a pending, running or waiting run is refused.' });

export const PlanRetry = Type.Object({
  attempts: Type.Integer({ minimum: 1, maximum: 10, description: 'Runs in all, the first included, before a failed run counts as failed.' }),
  delay: Type.Optional(Timeout),
}, { additionalProperties: false, description: 'Taking up a failed run again: its failed steps run again, earlier outputs are kept (a step\'s own `retry` repeats one step at once).' });

export const ActionPlanSpec = Type.Object({
  description: Type.Optional(Type.String({ description: 'What the plan does and when to use it.' })),
  category: Type.Optional(ActionPlanCategory),
  timeout: Type.Optional(Timeout),
  maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  env: Type.Optional(EnvMap),
  parameters: Type.Optional(MapOf(Parameter, 'Values a run takes (`--param name=value`), checked against these declarations; scripts receive them through `env:`.')),
  approval: Type.Optional(Approval),
  concurrency: Type.Optional(Concurrency),
  retry: Type.Optional(PlanRetry),
  runsOn: Type.Optional(RunsOn),
  steps: Type.Array(Step, { minItems: 1 }),
}, { additionalProperties: false });

export const ActionPlan = documentEnvelope('ActionPlan', ActionPlanSpec, 'A pluginops action plan (runbook).');

const RemediateVerify = Type.Object({
  attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'How many times the triggering check is re-run after the plan; all must pass (default the check\'s successThreshold, 1 for a rule without a check).' })),
  interval: Type.Optional(Duration),
}, { additionalProperties: false, description: 'How a remediation is verified: the check (or rule) that triggered it is run again.' });

const Remediate = Type.Object({
  plan: Type.Optional(Id),
  plans: Type.Optional(Type.Array(Id, { minItems: 1, uniqueItems: true, description: 'Candidate plans; the one with the best learning record is tried first, the next after a bad outcome.' })),
  with: Type.Optional(MapOf(Type.Unknown(), 'Parameters of the plan; strings may hold `${{ }}` over alert.labels.*, alert.rule, incident.id and incident.severity. Absent: each parameter the plan declares takes the alert label of the same name.')),
  cooldown: Type.Optional(Duration),
  maxPerWindow: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many runs per plan and target in any `window` (default the project\'s, 3).' })),
  window: Type.Optional(Duration),
  dryRun: Type.Optional(Type.Boolean({ description: 'Record what would run, on the incident timeline, and run nothing.' })),
  requireApproval: Type.Optional(Type.Boolean({ description: 'A person approves each run before its first step.' })),
  verify: Type.Optional(RemediateVerify),
}, {
  additionalProperties: false,
  oneOf: [{ required: ['plan'] }, { required: ['plans'] }],
  errorMessage: 'remediate needs exactly one of `plan` or `plans`',
  description: 'Automatic remediation when the alert fires: an ActionPlan run against the target, verified by the check.',
});

// Which fields each type needs (http → url, tcp → host and port, command → command) is checked by
// the rule in rules/check-conditions.ts, so the message can name the type.
export const HealthCheckSpec = Type.Object({
  type: StringEnum(['http', 'tcp', 'command', 'prometheus', 'loki', 'plugin'] as const,
    'What to probe: an HTTP endpoint, a TCP port, a command, a Prometheus query, a Loki log query or a plugin\'s manifest health probe.'),
  url: Type.Optional(Type.String({ description: 'http: the URL to request.' })),
  method: Type.Optional(StringEnum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const, 'http: the request method (default GET).')),
  headers: Type.Optional(MapOf(Type.String(), 'http: request headers.')),
  body: Type.Optional(Type.String({ description: 'http: the request body.' })),
  host: Type.Optional(Type.String({ description: 'tcp: the host to connect to.' })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'tcp: the port to connect to.' })),
  command: Type.Optional(Type.String({ description: 'command: a shell command (`sh -c`).' })),
  workingDirectory: Type.Optional(Type.String({ description: 'command: where it runs, relative to the project root (default the root).' })),
  query: Type.Optional(Type.String({ description: 'prometheus: a PromQL instant query; loki: a LogQL log query whose matching lines are counted over `window`.' })),
  server: Type.Optional(Type.String({ description: 'prometheus, loki: the server\'s base URL; `monitoring.prometheus.url` / `monitoring.loki.url` of the project file when absent.' })),
  window: Type.Optional(Duration),
  plugin: Type.Optional(Type.String({ description: 'plugin: the id of a project plugin whose manifest declares a health probe.' })),
  interval: Type.Optional(Duration),
  cron: Type.Optional(Type.String({ description: 'A cron expression such as `*/5 * * * *`, instead of `interval`.' })),
  timeout: Type.Optional(Timeout),
  stagger: Type.Optional(Duration),
  conditions: Type.Optional(Type.Array(Type.String(), { description: 'Expressions over the probe\'s fields, e.g. `status == 200`; the type\'s defaults when absent.' })),
  failureThreshold: Type.Optional(Type.Integer({ minimum: 1, default: 3, description: 'Failures in a row before the check is unhealthy.' })),
  successThreshold: Type.Optional(Type.Integer({ minimum: 1, default: 2, description: 'Successes in a row before it is healthy again.' })),
  remediate: Type.Optional(Remediate),
}, { additionalProperties: false });

export const HealthCheck = documentEnvelope('HealthCheck', HealthCheckSpec, 'A pluginops health check (probe).');

export const Levels = Type.Object({
  warning: Type.Optional(Type.Number()),
  danger: Type.Optional(Type.Number()),
  critical: Type.Optional(Type.Number()),
}, { additionalProperties: false, description: 'Static levels; each must be worse than the one before in `direction`.' });

export const AlertSource = Type.Object({
  healthCheck: Type.Optional(Type.String({ pattern: Id.pattern, description: 'A HealthCheck: fires while it is unhealthy or, with `field`, judges that field of each result.' })),
  field: Type.Optional(Type.String({ description: 'With healthCheck: a numeric field of its results, e.g. `responseTime`.' })),
  prometheus: Type.Optional(Type.String({ description: 'A PromQL instant query; each series is its own alert, labelled like the series.' })),
  loki: Type.Optional(Type.String({ description: 'A LogQL log query; the value is the count of matching lines in `window`.' })),
  metric: Type.Optional(Type.String({ description: 'A pushed metric; each plugin that pushes it is its own alert.' })),
  plugin: Type.Optional(Type.String({ description: 'With metric: only this plugin\'s samples.' })),
  window: Type.Optional(Duration),
  server: Type.Optional(Type.String({ description: 'prometheus, loki: the server\'s base URL; the project\'s `monitoring` server when absent.' })),
}, { additionalProperties: false });

export const Anomaly = Type.Object({
  method: Type.Optional(StringEnum(['zscore', 'mad'] as const, 'zscore (mean and standard deviation, default) or mad (median and median absolute deviation, robust to outliers).')),
  window: Type.Optional(Type.Integer({ minimum: 3, maximum: 100_000, description: 'Samples the baseline keeps (default 100).' })),
  threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Scores beyond this are anomalies (default 2.5 for zscore, 3.5 for mad).' })),
  minSamples: Type.Optional(Type.Integer({ minimum: 3, description: 'No verdict before this many samples (default 10).' })),
  minStd: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'A spread below this counts as a constant series.' })),
}, { additionalProperties: false });

export const Trend = Type.Object({
  window: Type.Optional(Type.Integer({ minimum: 3, maximum: 100_000, description: 'Samples the least-squares line is fitted to (default 100).' })),
  level: Type.Union([StringEnum(['warning', 'danger', 'critical'] as const), Type.Number()], { description: 'The level whose crossing is predicted: a name from `levels`, or a number.' }),
  horizon: Duration,
  minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Minimum R² of the fit (default 0.7).' })),
  minSamples: Type.Optional(Type.Integer({ minimum: 3, description: 'No verdict before this many samples (default 10).' })),
}, { additionalProperties: false });

export const AlertRuleSpec = Type.Object({
  source: AlertSource,
  every: Type.Optional(Duration),
  levels: Type.Optional(Levels),
  direction: Type.Optional(StringEnum(['above', 'below'] as const, '`above` (default): higher is worse; `below`: lower is worse, like test coverage.')),
  anomaly: Type.Optional(Anomaly),
  trend: Type.Optional(Trend),
  severity: Type.Optional(AlertSeverity),
  category: Type.Optional(AlertCategory),
  summary: Type.Optional(Type.String({ minLength: 1, description: 'The incident title; generated from the rule when absent.' })),
  labels: Type.Optional(MapOf(Type.String(), 'Labels added to every alert of this rule.')),
  for: Type.Optional(Duration),
  keepFiringFor: Type.Optional(Duration),
  flapDetection: Type.Optional(Type.Boolean({ description: 'Notify once that an alert flaps instead of on every change (default true).' })),
  notify: Type.Optional(Type.Object({
    channels: Type.Optional(Type.Array(Type.String(), { description: 'Told at once when an incident opens; `monitoring.notify` when absent.' })),
    escalate: Type.Optional(Type.Boolean({ description: 'Follow the severity\'s escalation policy (default true).' })),
  }, { additionalProperties: false })),
  remediate: Type.Optional(Remediate),
}, { additionalProperties: false });

export const AlertRule = documentEnvelope('AlertRule', AlertRuleSpec, 'A pluginops alert rule.');

export type ActionPlanDoc = Static<typeof ActionPlan>;
export type HealthCheckDoc = Static<typeof HealthCheck>;
export type AlertRuleDoc = Static<typeof AlertRule>;
