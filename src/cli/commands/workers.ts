// `pluginops workers list|show|drain`: the workers of a running serve, as a client of its API
// (client.ts: --url or PLUGINOPS_URL, the token in PLUGINOPS_TOKEN). A worker is named by its id
// or its name.
import { isId } from '../../api/ids.ts';
import type { WorkerView } from '../../tasks/model.ts';
import { clientOptions, serveClient, type ServeClient } from '../client.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { safe, workersTable, workerText, type ShownTask } from './tasks-text.ts';

const options = { ...clientOptions, json: { type: 'boolean', default: false } } as const;

export function oneArg(positionals: string[], what: string, usage: string): string {
  if (positionals.length !== 1 || positionals[0] === '') throw new CliError('E_USAGE', `expected one ${what}\nusage: ${usage}`);
  return positionals[0]!;
}

/**
 * The worker with this id or name. A name that cannot be a path segment (`ci@host`) is looked up
 * in the list instead of by its own URL.
 */
export async function findWorker(client: ServeClient, idOrName: string): Promise<WorkerView> {
  if (isId(idOrName)) return (await client.request<WorkerView>('GET', `/api/workers/${encodeURIComponent(idOrName)}`)).data;
  const { data } = await client.request<WorkerView[]>('GET', '/api/workers');
  const w = data.find((x) => x.id === idOrName) ?? data.find((x) => x.name === idOrName);
  if (!w) throw new CliError('E_NOT_FOUND', `there is no worker ${idOrName}`, 'not_found');
  return w;
}

export const workersListCommand = defineCommand({
  name: 'workers list',
  summary: 'The workers of a running serve: state, capabilities, tasks held, completed and failed, last seen',
  usage: 'pluginops workers list [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `workers list takes no arguments\nusage: ${this.usage}`);
    const { data } = await serveClient(ctx, values).request<WorkerView[]>('GET', '/api/workers');
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : workersTable(data, Date.now()));
    return exitCodes.success;
  },
});

export const workersShowCommand = defineCommand({
  name: 'workers show',
  summary: 'One worker of a running serve (by id or name) with the tasks it holds and its recent ones',
  usage: 'pluginops workers show ID|NAME [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    const client = serveClient(ctx, values);
    const w = await findWorker(client, oneArg(positionals, 'worker id or name', this.usage));
    const { data: tasks } = await client.request<ShownTask[]>('GET', `/api/tasks?${new URLSearchParams({ worker: w.id, limit: '20' })}`);
    ctx.stdout.write(values.json ? `${JSON.stringify({ ...w, recentTasks: tasks }, null, 2)}\n` : workerText(w, tasks, Date.now()));
    return exitCodes.success;
  },
});

export const workersDrainCommand = defineCommand({
  name: 'workers drain',
  summary: 'A worker of a running serve takes no new tasks; those it holds run to their end',
  usage: 'pluginops workers drain ID|NAME [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    const client = serveClient(ctx, values);
    const found = await findWorker(client, oneArg(positionals, 'worker id or name', this.usage));
    const { data: w, message } = await client.request<WorkerView>('POST', `/api/workers/${encodeURIComponent(found.id)}/drain`, {});
    if (values.json) { ctx.stdout.write(`${JSON.stringify(w, null, 2)}\n`); return exitCodes.success; }
    const holds = w.tasks.length ? `; it still holds ${w.tasks.join(', ')}, which run to their end` : '; it holds no task';
    const already = found.draining ? ' (it was draining already)' : '';
    ctx.stdout.write(`${safe(message ?? `worker ${w.name} takes no new tasks`)}${already}${holds}\n`);
    if (w.state === 'offline') ctx.stdout.write(`worker ${safe(w.name)} is offline: when it registers again it takes tasks again\n`);
    return exitCodes.success;
  },
});
