// ActionPlan, HealthCheck and AlertRule: the operations documents. This is their first cut;
// the monitoring and remediation capabilities complete them.
import { Type, type Static } from '@sinclair/typebox';
import { Duration, EnvMap, Id, MapOf, StringEnum, documentEnvelope } from './common.ts';
import { Parameter, Step } from './workflow.ts';

export const ActionPlanSpec = Type.Object({
  category: Type.Optional(StringEnum(['system', 'security', 'performance', 'deploy', 'backup', 'maintenance'] as const)),
  timeout: Type.Optional(Duration),
  maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
  env: Type.Optional(EnvMap),
  parameters: Type.Optional(MapOf(Parameter)),
  steps: Type.Array(Step, { minItems: 1 }),
}, { additionalProperties: false });

export const ActionPlan = documentEnvelope('ActionPlan', ActionPlanSpec, 'A pluginops action plan (runbook).');

const Remediate = Type.Object({ plan: Id, cooldown: Type.Optional(Duration), with: Type.Optional(MapOf(Type.Unknown())) }, { additionalProperties: false });

// Which fields each type needs (http → url, tcp → host and port, command → command) is checked by
// the rule in rules/check-conditions.ts, so the message can name the type.
export const HealthCheckSpec = Type.Object({
  type: StringEnum(['http', 'tcp', 'command', 'prometheus', 'loki', 'plugin'] as const,
    'What to probe. prometheus, loki and plugin are accepted but not probed yet.'),
  url: Type.Optional(Type.String({ description: 'http: the URL to request.' })),
  method: Type.Optional(StringEnum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const, 'http: the request method (default GET).')),
  headers: Type.Optional(MapOf(Type.String(), 'http: request headers.')),
  body: Type.Optional(Type.String({ description: 'http: the request body.' })),
  host: Type.Optional(Type.String({ description: 'tcp: the host to connect to.' })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'tcp: the port to connect to.' })),
  command: Type.Optional(Type.String({ description: 'command: a shell command (`sh -c`).' })),
  workingDirectory: Type.Optional(Type.String({ description: 'command: where it runs, relative to the project root (default the root).' })),
  query: Type.Optional(Type.String({ description: 'prometheus, loki: the query (not probed yet).' })),
  plugin: Type.Optional(Type.String({ description: 'plugin: the plugin that probes (not probed yet).' })),
  interval: Type.Optional(Duration),
  cron: Type.Optional(Type.String({ description: 'A cron expression such as `*/5 * * * *`, instead of `interval`.' })),
  timeout: Type.Optional(Duration),
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
}, { additionalProperties: false });

export const AlertRuleSpec = Type.Object({
  source: Type.Object({
    healthCheck: Type.Optional(Id),
    field: Type.Optional(Type.String()),
    metric: Type.Optional(Type.String()),
    prometheus: Type.Optional(Type.String()),
    loki: Type.Optional(Type.String()),
  }, { additionalProperties: false }),
  levels: Type.Optional(Levels),
  direction: Type.Optional(StringEnum(['above', 'below'] as const)),
  for: Type.Optional(Duration),
  keepFiringFor: Type.Optional(Duration),
  notify: Type.Optional(Type.Object({ policy: Type.Optional(Type.String()), channels: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false })),
  remediate: Type.Optional(Type.Object({ plan: Id, cooldown: Type.Optional(Duration), with: Type.Optional(MapOf(Type.Unknown())) }, { additionalProperties: false })),
}, { additionalProperties: false });

export const AlertRule = documentEnvelope('AlertRule', AlertRuleSpec, 'A pluginops alert rule.');

export type ActionPlanDoc = Static<typeof ActionPlan>;
export type HealthCheckDoc = Static<typeof HealthCheck>;
export type AlertRuleDoc = Static<typeof AlertRule>;
