// The project file `pluginops.yml`: where documents and plugins live, the store, deploy targets,
// notification channels, security scan settings and defaults. Secrets are never written here:
// `{ env: NAME }` names the environment variable that holds them.
import { Type, type Static } from '@sinclair/typebox';
import { Duration, MapOf, StringEnum, apiVersion } from './common.ts';

export const EnvRef = Type.Object({
  env: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'The environment variable that holds the value.' }),
}, { additionalProperties: false });

/** A plain value, or `{ env: NAME }` to read it from the environment. */
export const Value = Type.Union([Type.String(), EnvRef]);

export const Severity = StringEnum(['low', 'medium', 'high', 'critical'] as const);

export const DirectoryTarget = Type.Object({
  type: Type.Literal('directory'),
  path: Type.String({ description: 'Releases go to <path>/<plugin id>/releases/<version>-<time>/, the live one is <path>/<plugin id>/current.' }),
  keep: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Releases kept (default 5).' })),
}, { additionalProperties: false });

export const HttpTarget = Type.Object({
  type: Type.Literal('http'),
  url: Value,
  method: Type.Optional(StringEnum(['PUT', 'POST'] as const)),
  headers: Type.Optional(MapOf(Value)),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  timeout: Type.Optional(Duration),
}, { additionalProperties: false });

export const Target = Type.Union([DirectoryTarget, HttpTarget]);

export const WebhookChannel = Type.Object({
  type: Type.Literal('webhook'),
  url: Value,
  headers: Type.Optional(MapOf(Value)),
}, { additionalProperties: false });

export const SlackChannel = Type.Object({
  type: Type.Literal('slack'),
  webhookUrl: EnvRef,
  channel: Type.Optional(Type.String()),
}, { additionalProperties: false });

export const EmailChannel = Type.Object({
  type: Type.Literal('email'),
  host: Value,
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'SMTP port (default 587).' })),
  secure: Type.Optional(Type.Boolean({ description: 'TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.' })),
  user: Type.Optional(Value),
  password: Type.Optional(EnvRef),
  from: Type.String({ minLength: 1 }),
  to: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
}, { additionalProperties: false });

export const PagerDutyChannel = Type.Object({
  type: Type.Literal('pagerduty'),
  routingKey: EnvRef,
  url: Type.Optional(Type.String({ description: 'Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue).' })),
}, { additionalProperties: false });

export const Channel = Type.Union([WebhookChannel, SlackChannel, EmailChannel, PagerDutyChannel]);

export const Locale = StringEnum(['en', 'ko'] as const);

export const Project = Type.Object({
  apiVersion: Type.Literal(apiVersion),
  kind: Type.Literal('Project'),
  documents: Type.Optional(Type.Array(Type.String(), { description: 'Files or directories of documents, relative to this file (default: `pipelines`).' })),
  plugins: Type.Optional(Type.Array(Type.String(), { description: 'Directories that hold plugins.' })),
  store: Type.Optional(Type.Object({
    path: Type.Optional(Type.String({ description: 'Where the embedded store keeps state (default `.pluginops`).' })),
  }, { additionalProperties: false })),
  secrets: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), { uniqueItems: true, description: 'Environment variables whose values are masked in every output.' })),
  targets: Type.Optional(MapOf(Target, 'Deploy targets by name.')),
  channels: Type.Optional(MapOf(Channel, 'Notification channels by name.')),
  locale: Type.Optional(StringEnum(['en', 'ko'] as const, 'Language of notification texts: `en` (default) or `ko` (Korean).')),
  security: Type.Optional(Type.Object({
    rules: Type.Optional(Type.Array(Type.String(), { description: 'Extra rule files (YAML), relative to this file.' })),
    disable: Type.Optional(Type.Array(Type.String(), { description: 'Rule ids to turn off.' })),
    failOn: Type.Optional(Severity),
  }, { additionalProperties: false })),
  defaults: Type.Optional(Type.Object({
    maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    killGracePeriod: Type.Optional(Duration),
    notifications: Type.Optional(Type.Array(Type.String(), { description: 'Channels told when a workflow that names none finishes.' })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'The pluginops project file.' });

export type ProjectDoc = Static<typeof Project>;
export type TargetDoc = Static<typeof Target>;
export type ChannelDoc = Static<typeof Channel>;
export type LocaleName = Static<typeof Locale>;
export type ValueDoc = Static<typeof Value>;
export type SeverityName = Static<typeof Severity>;
