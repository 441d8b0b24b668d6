// The closed set of channel kinds and their senders. A kind in the project schema without a
// sender here does not compile.
import type { ChannelDoc } from '../../documents/schema/project.ts';
import type { Notification } from '../message.ts';
import { slackSender } from './slack.ts';
import { emailSender } from './email.ts';
import { pagerDutySender } from './pagerduty.ts';
import type { ChannelKind, ChannelMap, PreparedSend, SendContext, Sender } from './types.ts';
import { webhookSender } from './webhook.ts';

type SenderRegistry = { [K in ChannelKind]: Sender<ChannelMap[K]> };

export const senders = {
  webhook: webhookSender,
  slack: slackSender,
  email: emailSender,
  pagerduty: pagerDutySender,
} satisfies SenderRegistry;

const registry: SenderRegistry = senders;

function prepareKind<K extends ChannelKind>(kind: K, channel: ChannelMap[K], n: Notification, ctx: SendContext): PreparedSend {
  return registry[kind].prepare(channel, n, ctx);
}

export const senderOf = (channel: ChannelDoc): { minIntervalMs: number } => registry[channel.type];

/** The sender for the channel's kind, prepared for this notification; throws on a configuration problem. */
export const prepareSend = (channel: ChannelDoc, n: Notification, ctx: SendContext): PreparedSend => prepareKind(channel.type, channel, n, ctx);
