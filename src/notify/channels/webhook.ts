// `type: webhook` — the notification as JSON, in a versioned envelope, to any HTTP endpoint.
// `text` is the one-line summary in the project's locale, for receivers that only show text.
import { readValue } from '../../project/values.ts';
import { catalogFor, type Catalog } from '../catalog/index.ts';
import type { Notification } from '../message.ts';
import { postJson, readUrl } from './http.ts';
import { summaryLine } from './plain.ts';
import type { ChannelMap, Sender } from './types.ts';

export interface WebhookPayload {
  version: '1';
  type: Notification['kind'];
  text: string;
  notification: Notification;
}

export const webhookPayload = (notification: Notification, catalog: Catalog = catalogFor(undefined)): WebhookPayload =>
  ({ version: '1', type: notification.kind, text: summaryLine(notification, catalog), notification });

export const webhookSender: Sender<ChannelMap['webhook']> = {
  minIntervalMs: 0,
  prepare(channel, notification, { env, catalog }) {
    const url = readUrl(channel.url, env, 'the webhook url');
    const headers = Object.fromEntries(Object.entries(channel.headers ?? {})
      .map(([name, v]) => [name, readValue(v, env, `the webhook header ${name}`)]));
    return postJson(url, webhookPayload(notification, catalog), headers);
  },
};
