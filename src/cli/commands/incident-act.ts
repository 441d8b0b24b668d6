// `pluginops incidents show|ack|resolve ID`: clients of a running `serve` (client.ts), which
// holds the incidents. `show` reads the serve too, never the saved state (that may be seconds
// behind); `incidents list` is the one that reads the saved state.
import { defineCommand } from '../command.ts';
import { serveClient } from '../client.ts';
import { CliError, exitCodes } from '../errors.ts';
import { incidentText, type ShownIncident } from './incident-text.ts';

const path = (id: string, action = '') => `/api/incidents/${encodeURIComponent(id)}${action}`;

function oneId(positionals: string[], usage: string): string {
  if (positionals.length !== 1 || positionals[0] === '') throw new CliError('E_USAGE', `expected one incident id\nusage: ${usage}`);
  return positionals[0]!;
}

export const incidentsShowCommand = defineCommand({
  name: 'incidents show',
  summary: 'Show one incident of a running serve with its timeline and evidence',
  usage: 'pluginops incidents show ID [--json] [--url URL]',
  options: { json: { type: 'boolean', default: false }, url: { type: 'string' }, timeout: { type: 'string' }, config: { type: 'string', short: 'c' } },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const { data } = await serveClient(ctx, values).request<ShownIncident>('GET', path(id));
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : incidentText(data));
    return exitCodes.success;
  },
});

export const incidentsAckCommand = defineCommand({
  name: 'incidents ack',
  summary: 'Acknowledge an incident of a running serve (escalation stops)',
  usage: 'pluginops incidents ack ID [--note TEXT] [--timeout DURATION] [--json] [--url URL]',
  // --timeout is the acknowledgement's (30m), not the request's.
  options: { note: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean', default: false }, url: { type: 'string' }, config: { type: 'string', short: 'c' } },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    const body = { ...(values.timeout !== undefined ? { timeout: values.timeout } : {}), ...(values.note !== undefined ? { note: values.note } : {}) };
    const { data } = await serveClient(ctx, { url: values.url }).request<ShownIncident>('POST', path(id, '/acknowledge'), body);
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `acknowledged ${data.id} as ${data.acknowledgedBy ?? '?'}${data.ackTimeoutAt !== undefined ? ` until ${new Date(data.ackTimeoutAt).toISOString()}` : ''}\n`);
    return exitCodes.success;
  },
});

export const incidentsResolveCommand = defineCommand({
  name: 'incidents resolve',
  summary: 'Resolve an incident of a running serve, saying what was done',
  usage: 'pluginops incidents resolve ID --note TEXT [--json] [--url URL]',
  options: { note: { type: 'string' }, json: { type: 'boolean', default: false }, url: { type: 'string' }, timeout: { type: 'string' }, config: { type: 'string', short: 'c' } },
  async run({ values, positionals }, ctx) {
    const id = oneId(positionals, this.usage);
    if (values.note === undefined || values.note.trim() === '') throw new CliError('E_USAGE', `--note is required: say what was done\nusage: ${this.usage}`);
    const { data } = await serveClient(ctx, values).request<ShownIncident>('POST', path(id, '/resolve'), { resolution: values.note });
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `resolved ${data.id} as ${data.resolvedBy ?? '?'}\n`);
    return exitCodes.success;
  },
});
