// Requests about incidents beyond the monitor's own views: a report by hand (`POST
// /api/incidents`) and the paging of the list (`limit`, `cursor`).
import { Type } from '@sinclair/typebox';
import { categories, severities } from '../../documents/schema/alerting.ts';
import { maxReportLogBytes, type IncidentReport } from '../../monitor/incidents/manual.ts';
import { StringEnum, Strict } from './common.ts';
import { incidentStatuses } from './monitor.ts';

/** Characters of the log field; its UTF-8 size is checked too (`maxReportLogBytes`). */
export const maxReportLogChars = maxReportLogBytes;
export const maxIncidentPage = 500;
export const defaultIncidentPage = 100;

export const OpenIncident = Strict({
  title: Type.String({ minLength: 1, maxLength: 500, description: 'What is wrong, in a line.' }),
  severity: StringEnum(severities),
  category: StringEnum(categories),
  labels: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
    maxProperties: 32, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,127}$' },
    description: 'Part of the dedup key with the rule id; `plugin` names the remediation target.',
  })),
  ruleId: Type.Optional(Type.String({
    minLength: 1, maxLength: 128, description: 'An AlertRule this is about: its dedup key, channels and remediation apply. Without it the rule id is `manual`.',
  })),
  log: Type.Optional(Type.String({
    maxLength: maxReportLogChars,
    description: `Log text that shows the problem, at most ${maxReportLogBytes / 1024} KiB; kept as \`manual\` evidence (its newest lines, capped), masked.`,
  })),
}, 'A problem reported by hand. It opens an incident, or joins the unresolved one with the same dedup key.');
true satisfies (typeof OpenIncident)['static'] extends IncidentReport ? true : false;

export const IncidentsQuery = Strict({
  status: Type.Optional(StringEnum([...incidentStatuses, 'active'], '`active`: not resolved.')),
  severity: Type.Optional(StringEnum(severities, 'Only incidents of this severity (as it is now: joining may have raised it).')),
  category: Type.Optional(StringEnum(categories, 'Only incidents of this category.')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxIncidentPage, default: defaultIncidentPage, description: `At most this many, newest first (default ${defaultIncidentPage}).` })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'Where the previous page ended: its `X-Next-Cursor`. Opaque.' })),
});
