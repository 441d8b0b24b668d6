// `pluginops serve [--cron]`: the long-lived process (src/serve/serve.ts). Runs until SIGTERM or
// SIGINT, then stops gracefully and exits 0; SIGHUP reloads the configuration.
import { resolve } from 'node:path';
import { serve } from '../../serve/serve.ts';
import { defineCommand } from '../command.ts';
import { CliError } from '../errors.ts';
import { version } from '../version.ts';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'Run the long-lived process: the HTTP API and, with --cron, scheduled checks, alert rules and escalation',
  usage: 'pluginops serve [--cron] [--port 8080] [--host 127.0.0.1] [--config FILE] [--store DIR] [--log json|text]',
  options: {
    cron: { type: 'boolean', default: false },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    config: { type: 'string', short: 'c' },
    store: { type: 'string' },
    log: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `serve takes no arguments\nusage: ${this.usage}`);
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new CliError('E_USAGE', `--port is a number from 0 to 65535, found "${values.port}"`);
    if (values.log !== undefined && values.log !== 'json' && values.log !== 'text') throw new CliError('E_USAGE', `--log is json or text, found "${values.log}"`);
    return serve({
      cron: values.cron, host: values.host, port, cwd: ctx.cwd, env: ctx.env, version,
      ...(values.config ? { configPath: values.config } : {}), ...(values.store ? { storeDir: resolve(ctx.cwd, values.store) } : {}),
    }, {
      out: ctx.stdout, json: values.log ? values.log === 'json' : !ctx.isTTY, signal: ctx.signal,
      onReload: ctx.onHangup ?? (() => () => {}),
    });
  },
});
