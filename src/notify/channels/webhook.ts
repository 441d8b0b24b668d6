// `type: webhook` — the notification as JSON, in a versioned envelope, to any HTTP endpoint.
// `text` is the one-line summary in the project's locale, for receivers that only show text.
// An incident goes in the shape of Alertmanager's webhook payload (version 4: status, labels,
// annotations, startsAt/endsAt, a fingerprint that is the dedup key), so receivers written for
// Alertmanager take it as it is; pluginops' own `text` and `notification` ride along (with an
// incident's `evidence` excerpt and `recipients` as data; the names are also a `recipients` annotation).
import { readValue } from '../../documents/values/values.ts';
import { catalogFor, type Catalog } from '../catalog/index.ts';
import type { Incident, Notification } from '../message.ts';
import { publicBase } from '../links.ts';
import { postJson, readUrl } from './http.ts';
import { summaryLine } from './plain.ts';
import { recipientNames } from '../recipients.ts';
import type { ChannelMap, Sender } from './types.ts';

export interface WebhookPayload {
  version: '1';
  type: Notification['kind'];
  text: string;
  notification: Notification;
}

export const webhookPayload = (notification: Notification, catalog: Catalog = catalogFor(undefined)): WebhookPayload =>
  ({ version: '1', type: notification.kind, text: summaryLine(notification, catalog), notification });

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
  type: 'incident';
  text: string;
  notification: Incident;
}

/** Alertmanager's "zero time", which it sends as endsAt of an alert that has not ended. */
const notEnded = '0001-01-01T00:00:00Z';

/** `receiver` is the channel's `name`, else its key; `externalURL` the server's public URL; `generatorURL` the incident's link. */
export function alertmanagerPayload(n: Incident, receiver: string, catalog: Catalog = catalogFor(undefined), publicUrl?: string): AlertmanagerPayload {
  const status = n.status === 'resolved' ? 'resolved' : 'firing';
  const labels = { alertname: n.alertname ?? n.title, severity: n.severity, category: n.category, ...n.labels };
  const annotations = {
    summary: n.title, description: n.text, ...(n.status === 'acknowledged' ? { acknowledged: 'true' } : {}),
    ...(n.recipients?.length ? { recipients: recipientNames(n.recipients) } : {}),
  };
  return {
    version: '4', groupKey: n.dedupKey, truncatedAlerts: 0, status, receiver,
    groupLabels: { alertname: labels.alertname }, commonLabels: labels, commonAnnotations: annotations, externalURL: publicUrl ? publicBase(publicUrl) : '',
    alerts: [{
      status, labels, annotations, startsAt: n.startsAt ?? n.at, endsAt: status === 'resolved' ? n.at : notEnded,
      generatorURL: n.url ?? '', fingerprint: n.dedupKey,
    }],
    type: 'incident', text: summaryLine(n, catalog), notification: n,
  };
}

export const webhookSender: Sender<ChannelMap['webhook']> = {
  minIntervalMs: 0,
  prepare(channel, notification, { env, catalog, channel: key, publicUrl, deliveryId }) {
    const url = readUrl(channel.url, env, 'the webhook url');
    const headers: Record<string, string> = {
      ...(deliveryId ? { 'idempotency-key': deliveryId, 'x-pluginops-delivery': deliveryId } : {}),
      ...Object.fromEntries(Object.entries(channel.headers ?? {}).map(([name, v]) => [name, readValue(v, env, `the webhook header ${name}`)])),
    };
    const body = notification.kind === 'incident' ? alertmanagerPayload(notification, channel.name ?? key, catalog, publicUrl) : webhookPayload(notification, catalog);
    return postJson(url, body, headers);
  },
};
