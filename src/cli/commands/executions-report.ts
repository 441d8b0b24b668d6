// `pluginops executions report ID --html FILE`: one execution as a self-contained HTML file
// (graph, steps, timing, logs, artifacts), read from the store — no server needed.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorCode } from '../../store/errors.ts';
import { isValidId } from '../../store/ids.ts';
import { executionReport } from '../../ui/executions/report.ts';
import { isLocale } from '../../ui/i18n.ts';
import { defineCommand } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';
import { storeOptions, withStore } from './store-open.ts';

export const reportCommand = defineCommand({
  name: 'executions report',
  summary: 'Write one execution as a self-contained HTML file (graph, steps, timing, logs, artifacts)',
  usage: 'pluginops executions report ID --html FILE [--lang en|ko]',
  options: { ...storeOptions, html: { type: 'string' }, lang: { type: 'string' } },
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) throw new CliError('E_USAGE', `expected one execution id\nusage: ${this.usage}`);
    if (!values.html) throw new CliError('E_USAGE', `--html FILE is required: where to write the report\nusage: ${this.usage}`);
    const locale = values.lang ?? 'en';
    if (!isLocale(locale)) throw new CliError('E_USAGE', `--lang is en or ko, found "${locale}"`);
    const id = positionals[0]!;
    const text = await withStore(ctx, values, async (store) => {
      const record = isValidId(id) ? await store.get(id) : undefined;
      if (!record) throw new CliError('E_NOT_FOUND', `no execution ${id}`, 'not_found');
      return executionReport({ record, logs: await store.logs(id), locale, now: Date.now() });
    });
    const file = resolve(ctx.cwd, values.html);
    try {
      await writeFile(file, text, 'utf8');
    } catch (e) {
      const code = errorCode(e);
      throw new CliError('E_REPORT_UNWRITABLE', `cannot write the report to ${file}${code ? ` (${code})` : ''}: check that the directory exists and is writable`, 'failed');
    }
    ctx.stdout.write(`wrote the report of execution ${id} to ${file} (${Buffer.byteLength(text, 'utf8')} bytes)\n`);
    return exitCodes.success;
  },
});
