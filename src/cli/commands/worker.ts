// `pluginops worker`: runs tasks for a `serve` (src/worker/worker.ts) until SIGTERM or SIGINT,
// then drains and exits 0. The server is `--url` (or PLUGINOPS_URL), the token PLUGINOPS_TOKEN
// (a write token); the project is the one in the working directory (or `--config`), so the
// workflows and plugins it runs are this checkout's.
import { hostname } from 'node:os';
import { systemClock } from '../../engine/clock.ts';
import { loadProject } from '../../project/load.ts';
import { definedEnv } from '../../runs/local.ts';
import { newWorkerId } from '../../tasks/board.ts';
import { registry } from '../../wiring/registry.ts';
import { workerClient } from '../../worker/client.ts';
import { runWorker } from '../../worker/worker.ts';
import { defaultUrl } from '../client.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { version } from '../version.ts';

const capabilityPattern = /^[A-Za-z0-9][A-Za-z0-9_.:+/-]{0,63}$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

export const workerCommand = defineCommand({
  name: 'worker',
  summary: 'Run tasks for a serve: register with capabilities, claim tasks by priority, run them, report back',
  usage: 'pluginops worker [--capability NAME ...] [--name NAME] [--type TYPE] [--concurrency N] [--url URL] [--config FILE] [--log json|text]',
  options: {
    capability: { type: 'string', multiple: true },
    name: { type: 'string' },
    type: { type: 'string' },
    concurrency: { type: 'string', default: '1' },
    url: { type: 'string' },
    config: { type: 'string', short: 'c' },
    log: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `worker takes no arguments\nusage: ${this.usage}`);
    const capabilities = values.capability ?? [];
    for (const c of capabilities) if (!capabilityPattern.test(c)) throw new CliError('E_USAGE', `--capability "${c}" is not a capability: letters, digits and _.:+/- (at most 64, starting with a letter or digit)`);
    const name = values.name ?? `${hostname().replace(/[^A-Za-z0-9_.@-]/g, '-')}-${process.pid}`;
    if (!namePattern.test(name)) throw new CliError('E_USAGE', `--name "${name}" is not a worker name: letters, digits and _.@- (at most 64)`);
    const concurrency = Number(values.concurrency);
    if (!/^\d+$/.test(values.concurrency) || concurrency < 1 || concurrency > 256) throw new CliError('E_USAGE', `--concurrency is a number from 1 to 256, found "${values.concurrency}"`);
    if (values.log !== undefined && values.log !== 'json' && values.log !== 'text') throw new CliError('E_USAGE', `--log is json or text, found "${values.log}"`);
    const url = values.url ?? ctx.env.PLUGINOPS_URL ?? defaultUrl;
    try { const u = new URL(url); if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http'); } catch { throw new CliError('E_USAGE', `--url expects an http(s) URL, found "${url}"`); }
    const project = await loadProject(ctx.cwd, values.config);
    const json = values.log ? values.log === 'json' : !ctx.isTTY;
    const log = (line: string, level: 'debug' | 'info' | 'warn' | 'error', fields?: Record<string, unknown>) => {
      const at = new Date().toISOString();
      ctx.stdout.write(json ? `${JSON.stringify({ time: at, level, msg: line, worker: name, ...fields })}\n` : `${at} ${level.padEnd(5)} ${line}\n`);
    };
    return runWorker({
      id: newWorkerId(), name, ...(values.type ? { type: values.type } : {}), capabilities, concurrency, version,
      ...(ctx.env.PLUGINOPS_WORKER_CLAIM_WAIT_MS ? { claimWaitMs: Number(ctx.env.PLUGINOPS_WORKER_CLAIM_WAIT_MS) } : {}),
    }, {
      client: workerClient(url, ctx.env.PLUGINOPS_TOKEN, globalThis.fetch), project, registry, env: definedEnv(ctx.env),
      clock: systemClock, fetch: globalThis.fetch, signal: ctx.signal, log,
    });
  },
});
