// `type: pagerduty` — PagerDuty Events API v2. A firing incident (and any other notification) is
// a `trigger`; a resolved or acknowledged incident is `resolve` / `acknowledge` with the same
// dedup_key. An execution's dedup_key is per workflow and plugin, so a success resolves the
// incident an earlier failure opened. PagerDuty answers 202; 429 and 5xx are retried.
import { readValue } from '../../documents/values/values.ts';
import type { Catalog } from '../catalog/index.ts';
import { executionDedupKey, type Notification, type Severity } from '../message.ts';
import { postJson, readUrl } from './http.ts';
import { detailFields, summaryLine } from './plain.ts';
import { evidenceText } from './evidence.ts';
import type { ChannelMap, Sender } from './types.ts';

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export type PagerDutyAction = 'trigger' | 'resolve' | 'acknowledge';

export const pagerDutySeverity = {
  critical: 'critical', danger: 'error', warning: 'warning', info: 'info', success: 'info',
} as const satisfies Record<Severity, PagerDutySeverity>;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key?: string;
  /** Only on `trigger`: PagerDuty needs none to resolve or acknowledge. */
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, string>;
  };
  client: 'pluginops';
  client_url?: string;
}

type Shape = { action: PagerDutyAction; dedupKey?: string; source: string; component?: string; group?: string; class: string };

function shapeOf(n: Notification): Shape {
  switch (n.kind) {
    case 'execution.finished':
      return {
        action: n.status === 'success' ? 'resolve' : 'trigger', dedupKey: n.dedupKey ?? executionDedupKey(n.workflow, n.plugin),
        source: n.target ?? n.plugin ?? n.workflow, ...(n.plugin ? { component: n.plugin } : {}), group: n.workflow, class: n.status,
      };
    case 'step.message':
      return { action: 'trigger', ...(n.dedupKey ? { dedupKey: n.dedupKey } : {}), source: 'pluginops', group: n.executionId, class: n.step };
    case 'incident':
      return {
        action: n.status === 'firing' ? 'trigger' : n.status === 'resolved' ? 'resolve' : 'acknowledge', dedupKey: n.dedupKey,
        source: incidentSource(n), ...(n.labels.component ? { component: n.labels.component } : {}),
        ...(n.labels.group ? { group: n.labels.group } : {}), class: n.category,
      };
  }
}

/** The affected system: the incident's source, else its host or instance label, else the check, else the rule. */
const incidentSource = (n: Extract<Notification, { kind: 'incident' }>): string =>
  n.source ?? n.labels.host ?? n.labels.instance ?? n.labels.check ?? n.alertname ?? 'pluginops';

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The detail fields, and an incident's evidence excerpt as text. */
function customDetails(n: Notification, c: Catalog): Record<string, string> {
  const details = Object.fromEntries(detailFields(n, c).map((f) => [f.label, f.value]));
  const evidence = n.kind === 'incident' ? evidenceText(n.evidence) : '';
  return evidence ? { ...details, [c.label.evidence]: evidence } : details;
}

/** The Events API v2 body for a notification (pure; exported for tests and previews). */
export function pagerDutyEvent(n: Notification, routingKey: string, c: Catalog): PagerDutyEvent {
  const s = shapeOf(n);
  return {
    routing_key: routingKey,
    event_action: s.action,
    ...(s.dedupKey ? { dedup_key: cut(s.dedupKey, 255) } : {}),
    ...(s.action === 'trigger' ? {
      payload: {
        summary: cut(summaryLine(n, c), 1024), source: s.source, severity: pagerDutySeverity[n.severity], timestamp: n.at,
        ...(s.component ? { component: s.component } : {}), ...(s.group ? { group: s.group } : {}), class: s.class,
        custom_details: customDetails(n, c),
      },
    } : {}),
    client: 'pluginops',
    ...(n.url ? { client_url: n.url } : {}),
  };
}

export const pagerDutySender: Sender<ChannelMap['pagerduty']> = {
  minIntervalMs: 0,
  prepare(channel, notification, { env, catalog }) {
    const routingKey = readValue(channel.routingKey, env, 'the PagerDuty routing key');
    const url = readUrl(channel.url ?? pagerDutyEventsUrl, env, 'the PagerDuty events URL');
    return postJson(url, pagerDutyEvent(notification, routingKey, catalog));
  },
};
