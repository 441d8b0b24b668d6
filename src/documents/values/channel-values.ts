// Every configured value of a channel, so the project can mask the `{ env: NAME }` ones as
// secrets. A channel kind without a case here does not compile.
import type { ChannelDoc, ValueDoc } from '../schema/project.ts';

export function channelValues(c: ChannelDoc): ValueDoc[] {
  switch (c.type) {
    case 'webhook': return [c.url, ...Object.values(c.headers ?? {})];
    case 'slack': return [c.webhookUrl];
    case 'email': return [c.host, ...(c.user ? [c.user] : []), ...(c.password ? [c.password] : [])];
    case 'pagerduty': return [c.routingKey];
  }
}
