// The project file `pluginops.yml`: where documents and plugins live, the store, deploy targets,
// notification channels, security scan settings and defaults. Secrets are never written here:
// `{ env: NAME }` names the environment variable that holds them.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AlertSeverity, type Severity as IncidentSeverity } from './alerting.ts';
import { Duration, Timeout, MapOf, StringEnum, apiVersion } from './common.ts';
import { factorNames } from '../../store/risk.ts';

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
  timeout: Type.Optional(Timeout),
}, { additionalProperties: false });

export const Target = Type.Union([DirectoryTarget, HttpTarget]);

export const WebhookChannel = Type.Object({
  type: Type.Literal('webhook'),
  url: Value,
  name: Type.Optional(Type.String({ description: 'The receiver name sent in incident payloads (Alertmanager\'s `receiver`; default `webhook`).' })),
  headers: Type.Optional(MapOf(Value)),
}, { additionalProperties: false });

export const SlackChannel = Type.Object({
  type: Type.Literal('slack'),
  webhookUrl: EnvRef,
  channel: Type.Optional(Type.String()),
  signingSecret: Type.Optional(Type.Object({ env: EnvRef.properties.env }, { additionalProperties: false, description: 'The Slack app\'s signing secret (from the environment): with it, `serve` answers the Approve / Reject / Modify buttons of approval messages at POST /slack/interactions.' })),
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

/** A Prometheus or Loki server that checks and alert rules query. */
export const QueryServer = Type.Object({
  url: Value,
  headers: Type.Optional(MapOf(Value, 'Sent with every query, e.g. an Authorization header from `{ env: NAME }`.')),
  tenant: Type.Optional(Type.String({ description: 'Loki: the tenant, sent as X-Scope-OrgID.' })),
}, { additionalProperties: false });

export const EscalationStep = Type.Object({
  after: Duration,
  channels: Type.Array(Type.String(), { minItems: 1, description: 'Channel names from `channels:`, or a channel type (`email`, `slack`, `pagerduty`, `webhook`) for every channel of that type.' }),
  recipients: Type.Optional(Type.Array(Type.String(), { description: 'Who is meant: names under `people:` or `groups:`. Shown in every notification of the step; e-mail adds their addresses to the recipients, Slack mentions them.' })),
}, { additionalProperties: false });

/** One address, nothing that could add a header or a second address. */
const EmailAddress = (description: string) => Type.String({ pattern: '^[^\\s<>@,;"]+@[^\\s<>@,;"]+$', maxLength: 254, description });

/** A person escalation steps may name, and where they are reached. */
export const Person = Type.Object({
  email: Type.Optional(EmailAddress('Added to the To of e-mail notifications that name this person.')),
  slack: Type.Optional(Type.String({ pattern: '^[UW][A-Z0-9]{2,20}$', description: 'Slack user id (`U…`), mentioned as <@U…> in Slack notifications.' })),
}, { additionalProperties: false });

/** A group escalation steps may name: its members, and a Slack user group or a list address of its own. */
export const Group = Type.Object({
  members: Type.Optional(Type.Array(Type.String(), { description: 'Names under `people:`; each is reached as that person is.' })),
  email: Type.Optional(EmailAddress('A list address, added to the To of e-mail notifications.')),
  slack: Type.Optional(Type.String({ pattern: '^S[A-Z0-9]{2,20}$', description: 'Slack user group id (`S…`), mentioned as <!subteam^S…>; without it the members are mentioned.' })),
}, { additionalProperties: false });

export const EscalationPolicy = Type.Object({
  steps: Type.Array(EscalationStep, { minItems: 1 }),
  repeat: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, description: 'Rounds after the first (default 0).' })),
}, { additionalProperties: false });

const BySeverity = <T extends TSchema>(value: T, description: string) => Type.Object({
  info: Type.Optional(value), success: Type.Optional(value), warning: Type.Optional(value),
  danger: Type.Optional(value), critical: Type.Optional(value),
} satisfies Record<IncidentSeverity, unknown>, { additionalProperties: false, description });

export const MaintenanceWindowDoc = Type.Object({
  id: Type.String({ minLength: 1 }),
  start: Type.Optional(Type.String({ description: 'One-off window: ISO time with Z or an offset.' })),
  end: Type.Optional(Type.String({ description: 'One-off window: ISO time with Z or an offset.' })),
  cron: Type.Optional(Type.String({ description: 'Recurring window: a cron expression for each start.' })),
  duration: Type.Optional(Duration),
  timeZone: Type.Optional(Type.String({ description: 'IANA time zone of `cron` (default UTC).' })),
  match: Type.Optional(Type.Object({
    rules: Type.Optional(Type.Array(Type.String())),
    labels: Type.Optional(MapOf(Type.String())),
  }, { additionalProperties: false })),
}, { additionalProperties: false });

export const Monitoring = Type.Object({
  prometheus: Type.Optional(QueryServer),
  loki: Type.Optional(QueryServer),
  notify: Type.Optional(Type.Array(Type.String(), { description: 'Channels told at once when an incident opens, for rules that name none.' })),
  escalation: Type.Optional(BySeverity(EscalationPolicy, 'Escalation policy by severity; the defaults page critical after 5m (email, slack, pagerduty), danger after 15m (email, slack), warning after 30m (email).')),
  autoResolve: Type.Optional(BySeverity(Duration, 'How long an incident waits after its alerts stop before it resolves (defaults: info 3m … critical 60m).')),
  acknowledgeTimeout: Type.Optional(Duration),
  maintenance: Type.Optional(Type.Array(MaintenanceWindowDoc)),
  historySize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Results kept per health check (default 100).' })),
}, { additionalProperties: false });

export const Remediation = Type.Object({
  enabled: Type.Optional(Type.Boolean({ description: 'Run remediations when alerts fire (default true). Runs already started are followed either way.' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'Record what every remediation would run and run nothing (default false); overrides the rules.' })),
  cooldown: Type.Optional(Duration),
  maxPerWindow: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many runs per plan and target in any `window` (default 3).' })),
  window: Type.Optional(Duration),
  breakerThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Failed or ineffective runs in a row that stop automatic remediation of a target (default 3).' })),
  breakerReset: Type.Optional(Duration),
  timeout: Type.Optional(Timeout),
  requireApproval: Type.Optional(Type.Object({
    severities: Type.Array(AlertSeverity, { uniqueItems: true, description: 'Incidents of these severities wait for a person to approve each run.' }),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'Defaults and limits of automatic remediation; a rule\'s `remediate` overrides cooldown, maxPerWindow and window. cooldown and window default to 1h, timeout to 15m (a longer run is cancelled and counts as timed out); without breakerReset an open breaker waits for a person.' });

export const ApiToken = Type.Object({
  name: Type.String({ minLength: 1, description: 'Who holds the token; recorded with what it does.' }),
  token: EnvRef,
  scopes: Type.Array(StringEnum(['read', 'write', 'admin'] as const), { minItems: 1, uniqueItems: true, description: '`read` reads; `write` also starts and decides executions and acts on incidents; `admin` also steers monitoring and self-healing at run time and writes documents.' }),
}, { additionalProperties: false });

export const Server = Type.Object({
  tokens: Type.Optional(Type.Array(ApiToken, { description: 'API tokens, read from environment variables; sent as `Authorization: Bearer …`.' })),
  anonymousRead: Type.Optional(Type.Boolean({ description: 'Let requests without a token read (default false). Writes always need a write token.' })),
  cors: Type.Optional(Type.Object({
    origins: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'Origins allowed to call the API from a browser.' }),
  }, { additionalProperties: false })),
  bodyLimit: Type.Optional(Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, description: 'Largest request body in bytes (default 1 MiB).' })),
  grace: Type.Optional(Timeout),
  dashboard: Type.Optional(Type.Object({
    session: Type.Optional(Type.Unsafe<string>({ ...Timeout, description: 'How long a sign-in lasts before the dashboard asks again (default 12h, at most 7d).' })),
  }, { additionalProperties: false, description: 'The web dashboard `serve` answers at `/`.' })),
  documentWrites: Type.Optional(Type.Boolean({ description: 'Let the API create, replace and delete documents (needs an `admin` token; default true). Set false when documents change only through reviewed commits: every document write is then refused (409, reason `document-writes-off`).' })),
  publicUrl: Type.Optional(Type.String({
    format: 'uri', pattern: '^https?://[^/?#]+[^?#]*$', maxLength: 2048,
    description: 'Where people reach this server (http or https, no query), such as `https://ops.example.com`: notifications link to it (Alertmanager\'s `externalURL`, an incident\'s `generatorURL`).',
  })),
}, { additionalProperties: false });

export const Backup = Type.Object({
  dir: Type.Optional(Type.String({ description: 'Where backups are kept, relative to this file (default `.pluginops-backups` beside the store); never inside the store, a document folder or a target.' })),
  keepDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'Every backup younger than this many days is kept by `backup prune` (default 7).' })),
  keepCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'The newest this many backups are kept whatever their age (default 3).' })),
  interval: Type.Optional(Duration),
  cron: Type.Optional(Type.String({ description: 'A cron expression such as `0 3 * * *`, instead of `interval`: when `serve --cron` takes a backup.' })),
  timeZone: Type.Optional(Type.String({ description: 'IANA time zone of `cron` (default UTC).' })),
  verifyInterval: Type.Optional(Duration),
}, { additionalProperties: false, description: 'Backups of the store, the documents and the releases (docs/backups.md). With `interval` or `cron`, `serve --cron` takes one on that schedule and prunes; it verifies them every `verifyInterval` (default 24h).' });

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const Risk = Type.Object({
  weights: Type.Optional(Type.Object(Object.fromEntries(factorNames.map((n) => [n, Type.Optional(Type.Number({ minimum: 0, maximum: 100 }))])), {
    additionalProperties: false,
    description: 'The weight of each factor in the score (0 leaves it out). Defaults: workflowFailures 3, stepFailures 3, pluginFailures 2, changeSize 2, sensitiveFiles 2, flakySteps 1, sinceLastSuccess 1, untestedChange 1, complexity 1, offHours 0.5.',
  })),
  thresholds: Type.Optional(Type.Object({
    medium: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'A score (or calibrated probability) at least this is `medium` (default 0.3).' })),
    high: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'At least this is `high` (default 0.6).' })),
  }, { additionalProperties: false })),
  window: Type.Optional(Type.Integer({ minimum: 5, maximum: 1000, description: 'How many recent finished runs the history factors read (default 20).' })),
  minHistory: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Finished runs of a workflow needed before it gets a score (default 5); fewer gives "not enough data".' })),
  calibration: Type.Optional(Type.Object({
    minRuns: Type.Optional(Type.Integer({ minimum: 20, maximum: 1_000_000, description: 'Scored past runs needed to fit the calibration (default 50).' })),
    minFailures: Type.Optional(Type.Integer({ minimum: 2, maximum: 100_000, description: 'Failures, and successes, needed among them (default 5 each).' })),
  }, { additionalProperties: false })),
  workingHours: Type.Optional(Type.Object({
    start: Type.Optional(Type.Integer({ minimum: 0, maximum: 23, description: 'First working hour (default 9).' })),
    end: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, description: 'The hour working time ends (default 18).' })),
    days: Type.Optional(Type.Array(StringEnum(weekdays), { uniqueItems: true, description: 'Working days (default mon–fri).' })),
    timeZone: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone (default UTC).' })),
  }, { additionalProperties: false, description: 'Runs started outside these hours get the `offHours` factor.' })),
}, { additionalProperties: false, description: 'How the failure risk of a run is scored before it starts (docs/risk.md).' });

export const Project = Type.Object({
  apiVersion: Type.Literal(apiVersion),
  kind: Type.Literal('Project'),
  documents: Type.Optional(Type.Array(Type.String(), { description: 'Files or directories of documents, relative to this file (default: `pipelines`).' })),
  plugins: Type.Optional(Type.Array(Type.String(), { description: 'Directories that hold plugins.' })),
  store: Type.Optional(Type.Object({
    path: Type.Optional(Type.String({ description: 'Where the embedded store keeps state (default `.pluginops`).' })),
    postgres: Type.Optional(Type.Object({
      url: Type.Object({ env: EnvRef.properties.env }, { additionalProperties: false, description: 'The environment variable that holds the database URL (`postgres://user:password@host:5432/pluginops`); never the URL itself.' }),
      pool: Type.Optional(Type.Integer({ minimum: 2, maximum: 100, description: 'Connections each process keeps at most (default 8).' })),
      leaderLease: Type.Optional(Type.Unsafe<string>({ ...Timeout, description: 'How long the leading replica\'s lease lasts without renewal: when the leader dies, another replica runs the scheduler and escalations within `leaderLease` × 1.2 (default 10s, at least 1s).' })),
    }, { additionalProperties: false, description: 'Keep executions, logs, incidents, notifications, workers and tasks in PostgreSQL, shared by several `serve` replicas (docs/postgres.md). Without it, the embedded store under `path`.' })),
  }, { additionalProperties: false })),
  secrets: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), { uniqueItems: true, description: 'Environment variables whose values are masked in every output.' })),
  targets: Type.Optional(MapOf(Target, 'Deploy targets by name.')),
  channels: Type.Optional(MapOf(Channel, 'Notification channels by name.')),
  people: Type.Optional(MapOf(Person, 'People escalation steps name in `recipients`, by name.')),
  groups: Type.Optional(MapOf(Group, 'Groups escalation steps name in `recipients`, by name (not the name of a person).')),
  monitoring: Type.Optional(Monitoring),
  backup: Type.Optional(Backup),
  remediation: Type.Optional(Remediation),
  risk: Type.Optional(Risk),
  server: Type.Optional(Server),
  workers: Type.Optional(Type.Object({
    lease: Type.Optional(Type.Unsafe<string>({ ...Timeout, description: 'A worker silent this long is offline, and each task it held goes back to the queue (default 30s, at least 1s).' })),
    aging: Type.Optional(Type.Unsafe<string>({ ...Timeout, description: 'A pending task rises one priority level for each `aging` it waits, so a `low` task is claimed ahead of every later task after 3 × `aging` (default 5m, at least 1s).' })),
  }, { additionalProperties: false, description: 'Workers (`pluginops worker`) and the tasks they claim from `serve` (docs/workers.md).' })),
  journal: Type.Optional(Type.Object({
    git: Type.Object({
      repo: Type.String({ minLength: 1, description: 'A git work tree (relative to this file) that keeps the incident journal: incidents/<id>/summary.md, one commit per event.' }),
      branch: Type.Optional(Type.String({ minLength: 1 })),
    }, { additionalProperties: false }),
  }, { additionalProperties: false })),
  approvals: Type.Optional(Type.Object({
    slack: Type.Optional(Type.Object({
      matchNames: Type.Optional(Type.Boolean({ description: 'Also match approvers by Slack user name (default false: by user id `U…` only). Spoofable: anyone in the workspace can take a name.' })),
    }, { additionalProperties: false })),
  }, { additionalProperties: false, description: 'How approvals are answered.' })),
  locale: Type.Optional(StringEnum(['en', 'ko'] as const, 'Language of notification texts: `en` (default) or `ko` (Korean).')),
  security: Type.Optional(Type.Object({
    rules: Type.Optional(Type.Array(Type.String(), { description: 'Extra rule files (YAML), relative to this file.' })),
    disable: Type.Optional(Type.Array(Type.String(), { description: 'Rule ids to turn off.' })),
    failOn: Type.Optional(Severity),
  }, { additionalProperties: false })),
  limits: Type.Optional(Type.Object({
    documentBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, description: 'Largest document file in bytes (default 1 MiB); a larger file is refused unread.' })),
    documentDepth: Type.Optional(Type.Integer({ minimum: 8, maximum: 1000, description: 'Deepest nesting in a document file (default 64 levels).' })),
    documentNodes: Type.Optional(Type.Integer({ minimum: 100, maximum: 1_000_000, description: 'Most keys, list items and documents in one document file (default 50000).' })),
  }, { additionalProperties: false, description: 'What one document file may cost to parse; checked before it is parsed.' })),
  defaults: Type.Optional(Type.Object({
    maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    killGracePeriod: Type.Optional(Timeout),
    notifications: Type.Optional(Type.Array(Type.String(), { description: 'Channels told when a workflow that names none finishes.' })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'The pluginops project file.' });

export type ProjectDoc = Static<typeof Project>;
export type TargetDoc = Static<typeof Target>;
export type ChannelDoc = Static<typeof Channel>;
export type PersonDoc = Static<typeof Person>;
export type GroupDoc = Static<typeof Group>;
export type MonitoringDoc = Static<typeof Monitoring>;
export type RemediationDoc = Static<typeof Remediation>;
export type ServerDoc = Static<typeof Server>;
export type BackupDoc = Static<typeof Backup>;
export type QueryServerDoc = Static<typeof QueryServer>;
export type LocaleName = Static<typeof Locale>;
export type ValueDoc = Static<typeof Value>;
export type SeverityName = Static<typeof Severity>;
