// Sending one notification to channels named in a workflow, and the notifications the
// execution layer sends when an execution finishes. Nothing here throws or changes a run's
// status: each channel's outcome is a DeliveryResult.
import type { ChannelDoc, ProjectDoc } from '../documents/schema/project.ts';
import type { ExecutionRecord } from '../store/types.ts';
import { catalogFor } from './catalog/index.ts';
import { deliver, type DeliveryResult, type NotifyDeps } from './deliver.ts';
import { executionNotification, type Notification } from './message.ts';

export type ChannelsConfig = ProjectDoc['channels'];

/** The configured channels a name stands for: the channel itself, or every channel of that type. */
export function expandChannel(name: string, channels: Record<string, ChannelDoc>): string[] {
  if (Object.hasOwn(channels, name)) return [name];
  return Object.entries(channels).filter(([, c]) => c.type === name).map(([n]) => n);
}

/** Delivers `notification` to every named channel at once; results are in the order of `names`. */
export function sendToChannels(names: readonly string[], config: ChannelsConfig, notification: Notification, deps: NotifyDeps): Promise<DeliveryResult[]> {
  return Promise.all(names.map(async (name): Promise<DeliveryResult> => {
    const channel = config && Object.hasOwn(config, name) ? config[name] : undefined;
    if (channel) return deliver(name, channel, notification, deps);
    const result = { channel: name, ok: false, attempts: 0, error: unknownChannel(name, config) };
    deps.log(`could not notify ${name}: ${result.error}`, 'warn');
    return result;
  }));
}

const unknownChannel = (name: string, config: ChannelsConfig): string => {
  const known = Object.keys(config ?? {});
  return `there is no channel "${name}" under channels: in the project file (${known.length ? `known: ${known.join(', ')}` : 'it defines none'})`;
};

export interface ExecutionNotifyOptions {
  /** A link to the execution, when there is somewhere to show it. */
  url?: string;
}

/** Tells the named channels that `record` finished. Call it once the execution's record is final. */
export async function sendExecutionNotifications(
  record: ExecutionRecord, channelNames: readonly string[], config: ChannelsConfig, deps: NotifyDeps, o: ExecutionNotifyOptions = {},
): Promise<DeliveryResult[]> {
  if (channelNames.length === 0) return [];
  let notification: Notification;
  try {
    notification = executionNotification(record, { ...o, now: () => deps.clock.now(), catalog: catalogFor(deps.locale) });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    deps.log(`no notification sent: ${error}`, 'warn');
    return channelNames.map((channel) => ({ channel, ok: false, attempts: 0, error }));
  }
  return sendToChannels(channelNames, config, notification, deps);
}
