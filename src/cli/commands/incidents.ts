// `pluginops incidents list`: the incidents the monitor keeps in its saved state (what `serve
// --cron` wrote to the store), or, with --from-git, the incident history read back from the
// commits of the git journal (`journal.git.repo` in pluginops.yml).
import { resolve } from 'node:path';
import { gitProcess } from '../../journal/process-edge.ts';
import { readJournal } from '../../journal/read.ts';
import { JournalError } from '../../journal/types.ts';
import type { Incident } from '../../monitor/incidents/incident.ts';
import { filePersistence, StateFileError } from '../../monitor/runtime/state.ts';
import { loadProject } from '../../project/load.ts';
import { defineCommand, positiveInt } from '../command.ts';
import { CliError, exitCodes } from '../errors.ts';

const statuses = ['open', 'acknowledged', 'resolved', 'active'] as const;

export const incidentsListCommand = defineCommand({
  name: 'incidents list',
  summary: 'List incidents from the monitor\'s saved state, or their history from the git journal (--from-git)',
  usage: 'pluginops incidents list [--status open|acknowledged|resolved|active] [--from-git [--incident ID]] [--limit N] [--json] [--config FILE] [--store DIR]',
  options: {
    status: { type: 'string' },
    'from-git': { type: 'boolean', default: false },
    incident: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean', default: false },
    config: { type: 'string', short: 'c' },
    store: { type: 'string' },
  },
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `incidents list takes no arguments\nusage: ${this.usage}`);
    const limit = positiveInt(values.limit, '--limit');
    const project = await loadProject(ctx.cwd, values.config);
    if (values['from-git']) {
      const git = project.config.journal?.git;
      if (!git) throw new CliError('E_USAGE', 'there is no git journal: set journal.git.repo in pluginops.yml');
      let entries;
      try {
        entries = await readJournal(resolve(project.root, git.repo), gitProcess(ctx.env), {
          ...(values.incident ? { incidentId: values.incident } : {}), ...(limit !== undefined ? { limit } : {}), ...(git.branch ? { ref: git.branch } : {}),
        });
      } catch (e) {
        if (e instanceof JournalError) throw new CliError(e.code, e.message, e.kind);
        throw e;
      }
      if (values.json) { ctx.stdout.write(`${JSON.stringify(entries, null, 2)}\n`); return exitCodes.success; }
      if (entries.length === 0) { ctx.stdout.write('the journal has no incident commits\n'); return exitCodes.success; }
      for (const e of entries) {
        ctx.stdout.write(`${e.commit.slice(0, 10)}  ${new Date(e.at).toISOString()}  ${e.incidentId}  ${e.event.padEnd(12)} ${e.status.padEnd(12)} ${e.severity}${e.by ? `  by ${e.by}` : ''}\n`);
      }
      return exitCodes.success;
    }
    if (values.incident) throw new CliError('E_USAGE', '--incident goes with --from-git');
    const status = values.status;
    if (status !== undefined && !(statuses as readonly string[]).includes(status)) throw new CliError('E_USAGE', `--status is one of ${statuses.join(', ')}, found "${status}"`);
    const storeDir = values.store ? resolve(ctx.cwd, values.store) : project.storeDir;
    let incidents: Incident[];
    try {
      incidents = (await filePersistence(storeDir).load())?.incidents ?? [];
    } catch (e) {
      if (e instanceof StateFileError) throw new CliError(e.code, e.message, e.kind);
      throw e;
    }
    const shown = incidents
      .filter((i) => status === undefined || (status === 'active' ? i.status !== 'resolved' : i.status === status))
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, limit ?? Number.POSITIVE_INFINITY);
    if (values.json) { ctx.stdout.write(`${JSON.stringify(shown, null, 2)}\n`); return exitCodes.success; }
    if (shown.length === 0) { ctx.stdout.write(`no incidents${status ? ` with status ${status}` : ''} in ${storeDir}\n`); return exitCodes.success; }
    for (const i of shown) {
      ctx.stdout.write(`${new Date(i.openedAt).toISOString()}  ${i.status.padEnd(12)} ${i.severity.padEnd(8)} ${i.category.padEnd(11)} ${i.title}\n    ${i.id}\n`);
    }
    return exitCodes.success;
  },
});
