// The closed set of channel kinds and their senders. A kind in the project schema without a
// sender here does not compile.
import type { ChannelDoc } from '../../documents/schema/project.ts';
import type { Notification } from '../message.ts';
import { slackSender } from './slack.ts';
import type { ChannelKind, ChannelMap, Env, PreparedSend, Sender } from './types.ts';
import { webhookSender } from './webhook.ts';

type SenderRegistry = { [K in ChannelKind]: Sender<ChannelMap[K]> };

export const senders = {
  webhook: webhookSender,
  slack: slackSender,
} satisfies SenderRegistry;

const registry: SenderRegistry = senders;

function prepareKind<K extends ChannelKind>(kind: K, channel: ChannelMap[K], n: Notification, env: Env): PreparedSend {
  return registry[kind].prepare(channel, n, env);
}

export const senderOf = (channel: ChannelDoc): { minIntervalMs: number } => registry[channel.type];

/** The sender for the channel's kind, prepared for this notification; throws on a configuration problem. */
export const prepareSend = (channel: ChannelDoc, n: Notification, env: Env): PreparedSend => prepareKind(channel.type, channel, n, env);
