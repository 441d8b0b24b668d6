// Notifications: what they say (message.ts), where they go (channels/), and how they get there
// (deliver.ts, send.ts). The execution layer and the `notify` step use this module's exports.
export { executionNotification, isFinished, severities } from './message.ts';
export type { ExecutionFinished, FinishedStatus, Notification, NotificationKind, Severity, StepMessage } from './message.ts';
export { deliver, defaultDeliveryPolicy } from './deliver.ts';
export type { DeliveryPolicy, DeliveryResult, NotifyDeps } from './deliver.ts';
export { sendExecutionNotifications, sendToChannels } from './send.ts';
export type { ChannelsConfig, ExecutionNotifyOptions } from './send.ts';
export { createRateLimiter, sharedRateLimiter } from './limiter.ts';
export type { RateLimiter } from './limiter.ts';
export { senders } from './channels/index.ts';
export type { ChannelKind } from './channels/types.ts';
export { slackMessage, severityColor } from './channels/slack.ts';
export { webhookPayload } from './channels/webhook.ts';
export { emailContent } from './channels/email.ts';
export { pagerDutyEvent, pagerDutySeverity } from './channels/pagerduty.ts';
export { channelValues } from '../documents/values/channel-values.ts';
export { catalogFor, catalogs, localDuration } from './catalog/index.ts';
export type { Catalog, Locale } from './catalog/index.ts';
export { categories, executionDedupKey } from './message.ts';
export type { Category, Incident, IncidentStatus } from './message.ts';
