// `pluginops incidents open`: reports a problem to a running `serve` (client.ts), which opens an
// incident or joins the open one with the same rule and labels, then notifies, escalates and
// may remediate as for an alert. A log comes from a file (`--log-file`) or the command line
// (`--log`); a file over the cap is refused here, before anything is sent.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { maxReportLogBytes } from '../../monitor/incidents/manual.ts';
import { defineCommand, keyValues } from '../command.ts';
import { serveClient } from '../client.ts';
import { CliError, exitCodes } from '../errors.ts';
import type { ShownIncident } from './incident-text.ts';

const labelName = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export const incidentsOpenCommand = defineCommand({
  name: 'incidents open',
  summary: 'Open an incident on a running serve by hand (or join the open one with the same rule and labels)',
  usage: 'pluginops incidents open --title TEXT --severity S --category C [--log-file FILE | --log TEXT] [--label key=value]... [--rule ID] [--json] [--url URL]',
  options: {
    title: { type: 'string' },
    severity: { type: 'string' },
    category: { type: 'string' },
    'log-file': { type: 'string' },
    log: { type: 'string' },
    label: { type: 'string', multiple: true },
    rule: { type: 'string' },
    json: { type: 'boolean', default: false },
    url: { type: 'string' },
    timeout: { type: 'string' },
    config: { type: 'string', short: 'c' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `incidents open takes no arguments\nusage: ${this.usage}`);
    for (const flag of ['title', 'severity', 'category'] as const) {
      if (values[flag] === undefined) throw new CliError('E_USAGE', `--${flag} is required\nusage: ${this.usage}`);
    }
    if (values['log-file'] !== undefined && values.log !== undefined) throw new CliError('E_USAGE', '--log-file and --log are exclusive: give one');
    const labels = keyValues(values.label, '--label');
    const bad = Object.keys(labels).find((k) => !labelName.test(k));
    if (bad !== undefined) throw new CliError('E_USAGE', `--label names are letters, digits and _ (not starting with a digit), found "${bad}"`);
    const log = values['log-file'] !== undefined ? await readLog(resolve(ctx.cwd, values['log-file'])) : values.log;
    const client = serveClient(ctx, values);
    const { data, status } = await client.request<ShownIncident>('POST', '/api/incidents', {
      title: values.title, severity: values.severity, category: values.category,
      ...(Object.keys(labels).length ? { labels } : {}), ...(values.rule !== undefined ? { ruleId: values.rule } : {}), ...(log !== undefined ? { log } : {}),
    });
    const joined = status === 200;
    ctx.stdout.write(values.json ? `${JSON.stringify({ joined, incident: data }, null, 2)}\n` : `${joined ? 'joined' : 'opened'} incident ${data.id} (${data.status}, ${data.severity})\n`);
    return exitCodes.success;
  },
});

async function readLog(file: string): Promise<string> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new CliError('E_LOG_FILE', `--log-file ${file} is not a file`, 'usage');
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('E_LOG_FILE', `cannot read --log-file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, 'usage');
  }
  if (size > maxReportLogBytes) {
    throw new CliError('E_TOO_LARGE', `--log-file ${file} is ${size} bytes; at most ${maxReportLogBytes} (${maxReportLogBytes / 1024} KiB) are taken: attach its tail (tail -c 256k)`, 'invalid');
  }
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError('E_LOG_FILE', `cannot read --log-file ${file}: ${(e as Error).message}`, 'usage');
  }
}
