// The monitoring engine as the API shows it: checks and their results, alerts, incidents with
// their timelines, pushed metrics; and the requests that change it (run a check, acknowledge,
// resolve, push samples).
import { Type, type Static } from '@sinclair/typebox';
import { Duration } from '../../documents/schema/common.ts';
import { PausedBy } from './controls.ts';
import type { AlertStateName } from '../../monitor/alerts/state.ts';
import type { CheckResult as CheckResultModel } from '../../monitor/checks/result.ts';
import type { AlertView, CheckView } from '../../monitor/runtime/view.ts';
import { ranges, type Bucket as BucketModel, type Uptime as UptimeModel } from '../../monitor/history/rollups.ts';
import type { Evidence as EvidenceModel } from '../../monitor/incidents/evidence.ts';
import type { Incident as IncidentModel, IncidentStatus, TimelineEntry as TimelineEntryModel, TimelineKind } from '../../monitor/incidents/incident.ts';
import { categories, severities } from '../../documents/schema/alerting.ts';
import { StringEnum, Strict, keysOf } from './common.ts';
import type { Describes } from './describes.ts';

export const alertStates = keysOf({ ok: 1, pending: 1, firing: 1, resolved: 1, nodata: 1, error: 1 } satisfies Record<AlertStateName, 1>);
export const incidentStatuses = keysOf({ open: 1, acknowledged: 1, resolved: 1 } satisfies Record<IncidentStatus, 1>);
const timelineKinds = keysOf({
  opened: 1, joined: 1, 'severity-raised': 1, 'alerts-stopped': 1, 'auto-resolve-cancelled': 1,
  acknowledged: 1, 'ack-expired': 1, reopened: 1, resolved: 1, escalated: 1, remediation: 1, verification: 1,
} satisfies Record<TimelineKind, 1>);

const Ms = Type.Number({ description: 'ms since the epoch' });

const Labels = Type.Record(Type.String(), Type.String());
const Evidence = Strict({
  source: StringEnum(['loki', 'prometheus', 'check', 'manual'] as const),
  at: Ms,
  query: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
  lines: Type.Optional(Type.Array(Strict({ text: Type.String(), at: Type.Optional(Ms), labels: Type.Optional(Labels) }))),
  samples: Type.Optional(Type.Array(Strict({ labels: Labels, value: Type.Number(), at: Type.Optional(Ms) }))),
  truncated: Type.Optional(Type.Boolean()),
}, 'What showed the problem, capped; masked like every output.');
true satisfies Describes<typeof Evidence, EvidenceModel>;

export const CheckResult = Strict({
  at: Ms,
  ok: Type.Boolean(),
  durationMs: Type.Number(),
  fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Measured values by name (status, responseTime, exitCode, …); null when not measured.' }),
  conditions: Type.Array(Strict({ expression: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()) })),
  error: Type.Optional(Type.String()),
  evidence: Type.Optional(Evidence),
});

export const LastResult = Strict({
  at: Ms,
  ok: Type.Boolean(),
  durationMs: Type.Number(),
  error: Type.Optional(Type.String()),
  failed: Type.Array(Type.String(), { description: 'Conditions that did not hold.' }),
});

const Ratio = Type.Number({ minimum: 0, maximum: 1 });
export const Uptime = Strict({
  '24h': Type.Optional(Ratio), '7d': Type.Optional(Ratio), '30d': Type.Optional(Ratio),
}, 'Successful results over all results: the last 24 hours and 7 days by the hour (the current hour included), the last 30 UTC days (today included); a range without results is absent.');
true satisfies Describes<typeof Uptime, UptimeModel>;

const checkFields = {
  id: Type.String(),
  type: Type.String(),
  healthy: Type.Boolean(),
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  consecutiveSuccesses: Type.Integer({ minimum: 0 }),
  last: Type.Optional(LastResult),
  paused: Type.Optional(PausedBy),
  uptime: Type.Optional(Uptime),
};
export const CheckSummary = Strict(checkFields);
export const CheckDetail = Strict({ ...checkFields, history: Type.Array(CheckResult, { description: 'Oldest first, at most `monitoring.historySize`.' }) });
export const CheckRun = Strict({ result: CheckResult, check: CheckSummary });

true satisfies Describes<typeof CheckResult, CheckResultModel>;
true satisfies Describes<typeof CheckDetail, Omit<CheckView, 'last'> & { last?: Static<typeof LastResult>; uptime?: UptimeModel }>;

/** What a check's state is called in lists: paused wins, then not run yet, then its health. */
export const checkStates = ['down', 'up', 'paused', 'pending'] as const;
export type CheckState = (typeof checkStates)[number];
export const maxCheckPage = 1000;
export const ChecksQuery = Strict({
  state: Type.Optional(StringEnum(checkStates, '`down` (unhealthy), `up`, `paused` (at run time), `pending` (no result yet).')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxCheckPage, description: 'At most this many (default: all).' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Skip this many matching checks first (default 0).' })),
});

export const SeriesQuery = Strict({ range: Type.Optional(StringEnum(ranges, 'Hourly buckets for `24h` (24) and `7d` (168), daily (UTC) for `30d` (30). Default `24h`.')) });
const Bucket = Strict({
  start: Ms,
  count: Type.Integer({ minimum: 0, description: 'Results in the bucket.' }),
  ok: Type.Integer({ minimum: 0, description: 'Successful results.' }),
  avgMs: Type.Optional(Type.Number({ description: 'Mean response time; absent when nothing ran.' })),
  maxMs: Type.Optional(Type.Number({ description: 'Slowest response time; absent when nothing ran.' })),
});
true satisfies Describes<typeof Bucket, BucketModel>;
export const CheckSeries = Strict({
  id: Type.String(),
  range: StringEnum(ranges),
  bucketMs: Type.Integer({ description: 'Length of one bucket (3600000 or 86400000).' }),
  uptime: Type.Optional(Ratio),
  buckets: Type.Array(Bucket, { description: 'Oldest first, ending with the bucket that holds now; buckets without results included.' }),
});

export const Alert = Strict({
  key: Type.String({ description: 'The dedup key: a hash of the rule id and the labels.' }),
  ruleId: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  state: StringEnum(alertStates),
  since: Ms,
  severity: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  value: Type.Optional(Type.Number()),
  flapping: Type.Boolean(),
});
true satisfies Describes<typeof Alert, AlertView>;
export const AlertsQuery = Strict({ state: Type.Optional(StringEnum(alertStates)) });

const TimelineEntry = Strict({ at: Ms, kind: StringEnum(timelineKinds), text: Type.String(), by: Type.Optional(Type.String()) });


const incidentFields = {
  id: Type.String({ description: '`<dedupKey>:<opened at, ms>`' }),
  dedupKey: Type.String(),
  ruleId: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  severity: StringEnum(severities),
  category: StringEnum(categories),
  title: Type.String(),
  status: StringEnum(incidentStatuses),
  openedAt: Ms,
  acknowledgedAt: Type.Optional(Ms),
  acknowledgedBy: Type.Optional(Type.String()),
  ackTimeoutAt: Type.Optional(Ms),
  resolvedAt: Type.Optional(Ms),
  resolution: Type.Optional(Type.String()),
  resolvedBy: Type.Optional(Type.String()),
  autoResolveAt: Type.Optional(Ms),
  alertsFiring: Type.Boolean(),
  notifiedFiring: Type.Array(Type.String(), { description: 'Channels that got a firing notification.' }),
};
export const IncidentSummary = Strict(incidentFields);
export const Incident = Strict({ ...incidentFields, evidence: Type.Optional(Type.Array(Evidence)), timeline: Type.Array(TimelineEntry) });
/** Escalation's bookkeeping is not shown. */
true satisfies Describes<typeof Incident, Omit<IncidentModel, 'escalation' | 'escalationStartedAt'>>;
true satisfies Describes<typeof TimelineEntry, TimelineEntryModel>;

export const Acknowledge = Strict({
  timeout: Type.Optional(Duration),
  note: Type.Optional(Type.String({ maxLength: 2_000, description: 'Kept on the timeline with the acknowledgement.' })),
}, 'With `timeout`, the incident re-opens when it expires while its alerts still fire.');
export const Resolve = Strict({ resolution: Type.String({ minLength: 1, maxLength: 10_000, description: 'What was done; required.' }) });

export const maxSamples = 10_000;
export const Sample = Type.Object({
  plugin: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  metric: Type.String({ pattern: '^[A-Za-z_:][A-Za-z0-9_:.-]{0,127}$' }),
  value: Type.Number(),
  timestamp: Type.Optional(Type.Union([Type.Number({ description: 'ms since the epoch' }), Type.String({ format: 'date-time' })])),
}, { additionalProperties: false, description: 'A sample that does not fit is refused alone (listed in `rejected`); the others are kept.' });
/** Items are checked one by one by the engine, so one bad sample does not refuse the batch. */
export const PushMetrics = Strict({ samples: Type.Array(Type.Unknown(), { maxItems: maxSamples, description: `Samples, each like \`Sample\`; at most ${maxSamples}.` }) });
export const PushResult = Strict({
  accepted: Type.Integer({ minimum: 0 }),
  rejected: Type.Array(Strict({ index: Type.Integer({ minimum: 0 }), error: Type.String() })),
});
