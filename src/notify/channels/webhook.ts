// `type: webhook` — the notification as JSON, in a versioned envelope, to any HTTP endpoint.
import { readValue } from '../../project/values.ts';
import type { Notification } from '../message.ts';
import { postJson, readUrl } from './http.ts';
import type { ChannelMap, Sender } from './types.ts';

export interface WebhookPayload {
  version: '1';
  type: Notification['kind'];
  notification: Notification;
}

export const webhookPayload = (notification: Notification): WebhookPayload =>
  ({ version: '1', type: notification.kind, notification });

export const webhookSender: Sender<ChannelMap['webhook']> = {
  minIntervalMs: 0,
  prepare(channel, notification, env) {
    const url = readUrl(channel.url, env, 'the webhook url');
    const headers = Object.fromEntries(Object.entries(channel.headers ?? {})
      .map(([name, v]) => [name, readValue(v, env, `the webhook header ${name}`)]));
    return postJson(url, webhookPayload(notification), headers);
  },
};
