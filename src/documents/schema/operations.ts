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

export const HealthCheckSpec = Type.Object({
  type: StringEnum(['http', 'tcp', 'command', 'prometheus', 'loki', 'plugin'] as const),
  url: Type.Optional(Type.String()),
  host: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  command: Type.Optional(Type.String()),
  query: Type.Optional(Type.String()),
  plugin: Type.Optional(Type.String()),
  interval: Type.Optional(Duration),
  cron: Type.Optional(Type.String()),
  timeout: Type.Optional(Duration),
  conditions: Type.Optional(Type.Array(Type.String())),
  failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
  successThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
  remediate: Type.Optional(Type.Object({ plan: Id, cooldown: Type.Optional(Duration), with: Type.Optional(MapOf(Type.Unknown())) }, { additionalProperties: false })),
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
