// `pluginops tasks submit|list|show|cancel|retry`: the task queue of a running serve, as a client
// of its API (client.ts: --url or PLUGINOPS_URL, the token in PLUGINOPS_TOKEN). What the command
// line itself gets wrong (an unknown priority or state, --data that is not a JSON object) is a
// usage error before anything is sent; what the server refuses exits with the code of its kind.
import { priorities, taskStates, type Priority } from '../../tasks/model.ts';
import { clientOptions, serveClient } from '../client.ts';
import { defineCommand, keyValues, positiveInt } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { jsonObject } from './run.ts';
import { safe, taskOutcome, tasksTable, taskText, type ShownTask } from './tasks-text.ts';
import { findWorker, oneArg } from './workers.ts';

const options = { ...clientOptions, json: { type: 'boolean', default: false } } as const;
const listStates = [...taskStates, 'active', 'ended'] as const;
const path = (id: string, action = '') => `/api/tasks/${encodeURIComponent(id)}${action}`;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new CliError('E_USAGE', `${flag} expects one of ${allowed.join(', ')}, found "${value}"`);
  return value as T;
}

function atMost(n: number | undefined, max: number, flag: string): number | undefined {
  if (n !== undefined && n > max) throw new CliError('E_USAGE', `${flag} is at most ${max}, found ${n}`);
  return n;
}

export const tasksSubmitCommand = defineCommand({
  name: 'tasks submit',
  summary: 'Submit a task to a running serve: a workflow or action plan for a worker with the capabilities it needs',
  usage: 'pluginops tasks submit TYPE [--workflow ID] [--priority low|normal|high|critical] [--data JSON] [--param key=value]... [--capability C]... [--plugin DIR] [--max-attempts N] [--deadline ISO] [--json] [--url URL]',
  options: {
    ...options, workflow: { type: 'string' }, priority: { type: 'string' }, data: { type: 'string' }, param: { type: 'string', short: 'p', multiple: true },
    capability: { type: 'string', multiple: true }, plugin: { type: 'string' }, 'max-attempts': { type: 'string' }, deadline: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    const type = oneArg(positionals, 'task type (the workflow it runs unless --workflow says another)', this.usage);
    const priority = oneOf<Priority>(values.priority, priorities, '--priority');
    // As `pluginops run` takes them: --data first, each --param on top.
    const data = { ...jsonObject(values.data, '--data'), ...keyValues(values.param, '--param') };
    const maxAttempts = atMost(positiveInt(values['max-attempts'], '--max-attempts'), 100, '--max-attempts');
    let deadline: string | undefined;
    if (values.deadline !== undefined) {
      const at = Date.parse(values.deadline);
      if (!Number.isFinite(at)) throw new CliError('E_USAGE', `--deadline expects an ISO time such as 2026-12-01T12:00:00Z, found "${values.deadline}"`);
      deadline = new Date(at).toISOString();
    }
    const capabilities = values.capability === undefined ? undefined : [...new Set(values.capability)];
    const body = {
      type, ...(values.workflow !== undefined ? { workflow: values.workflow } : {}), ...(priority ? { priority } : {}),
      ...(Object.keys(data).length ? { data } : {}), ...(capabilities ? { capabilities } : {}),
      ...(values.plugin !== undefined ? { plugin: values.plugin } : {}), ...(maxAttempts !== undefined ? { maxAttempts } : {}), ...(deadline ? { deadline } : {}),
    };
    const { data: t } = await serveClient(ctx, values).request<ShownTask>('POST', '/api/tasks', body);
    ctx.stdout.write(values.json ? `${JSON.stringify(t, null, 2)}\n` : taskOutcome(t));
    return exitCodes.success;
  },
});

export const tasksListCommand = defineCommand({
  name: 'tasks list',
  summary: 'The tasks of a running serve, newest first, by state, type, priority or worker',
  usage: `pluginops tasks list [--state ${listStates.join('|')}] [--type T] [--priority P] [--worker ID|NAME] [--limit N] [--json] [--url URL]`,
  options: { ...options, state: { type: 'string' }, type: { type: 'string' }, priority: { type: 'string' }, worker: { type: 'string' }, limit: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `tasks list takes no arguments\nusage: ${this.usage}`);
    const state = oneOf(values.state, listStates, '--state');
    const priority = oneOf<Priority>(values.priority, priorities, '--priority');
    const limit = atMost(positiveInt(values.limit, '--limit'), 1000, '--limit') ?? 50;
    const client = serveClient(ctx, values);
    // Tasks record their worker's id; a name is looked up (a worker the server forgot is matched by what was typed).
    let worker = values.worker;
    if (worker !== undefined) {
      try { worker = (await findWorker(client, worker)).id; } catch (e) { if (!(e instanceof CliError && e.kind === 'not_found')) throw e; }
    }
    const q = new URLSearchParams({
      ...(state ? { state } : {}), ...(values.type !== undefined ? { type: values.type } : {}), ...(priority ? { priority } : {}),
      ...(worker !== undefined ? { worker } : {}), limit: String(limit),
    });
    const { data, message } = await client.request<ShownTask[]>('GET', `/api/tasks?${q}`);
    const total = Number(/^(\d+) task/.exec(message ?? '')?.[1] ?? data.length);
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : tasksTable(data, Date.now(), total));
    return exitCodes.success;
  },
});

export const tasksShowCommand = defineCommand({
  name: 'tasks show',
  summary: 'One task of a running serve with its history, and why it waits when no worker can take it',
  usage: 'pluginops tasks show ID [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    const { data } = await serveClient(ctx, values).request<ShownTask>('GET', path(oneArg(positionals, 'task id', this.usage)));
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : taskText(data, Date.now()));
    return exitCodes.success;
  },
});

export const tasksCancelCommand = defineCommand({
  name: 'tasks cancel',
  summary: 'Cancel a task of a running serve: a pending one at once, a running one at its worker\'s next heartbeat',
  usage: 'pluginops tasks cancel ID [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    const { data, message } = await serveClient(ctx, values).request<ShownTask>('POST', path(oneArg(positionals, 'task id', this.usage), '/cancel'), {});
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${safe(message ?? `task ${data.id} is ${data.state}`)}\n`);
    return exitCodes.success;
  },
});

export const tasksRetryCommand = defineCommand({
  name: 'tasks retry',
  summary: 'Queue a failed, dead-lettered or cancelled task of a running serve again, with its attempts renewed',
  usage: 'pluginops tasks retry ID [--json] [--url URL]',
  options,
  async run({ values, positionals }, ctx) {
    const { data, message } = await serveClient(ctx, values).request<ShownTask>('POST', path(oneArg(positionals, 'task id', this.usage), '/retry'), {});
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : taskOutcome(data, message && safe(message)));
    return exitCodes.success;
  },
});
