// `pluginops db migrate|status`: the schema of the project's PostgreSQL store (`store.postgres`).
// `serve` migrates on start as well; `db migrate` does it ahead of a rollout, and `db status`
// says where the schema stands, which replicas are alive and which one leads.
import { loadProject } from '../../project/load.ts';
import { databaseConfig } from '../../pg/config.ts';
import { openDb, type Db } from '../../pg/db.ts';
import { currentLeader, liveReplicas } from '../../pg/leader.ts';
import { migrate, schemaStatus } from '../../pg/migrate.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { CliError, exitCodes } from '../errors.ts';

const options = { config: { type: 'string', short: 'c' }, json: { type: 'boolean', default: false } } as const;

async function withDb<T>(ctx: CliContext, values: { config?: string }, fn: (db: Db) => Promise<T>): Promise<T> {
  const project = await loadProject(ctx.cwd, values.config);
  const config = databaseConfig(project.config, ctx.env);
  if (!config) throw new CliError('E_USAGE', 'the project keeps its store on disk (no store.postgres in the project file): there is no database to migrate', 'usage');
  const db = await openDb(config.url, { max: 2, applicationName: 'pluginops db' });
  try { return await fn(db); } finally { await db.close(); }
}

export const dbMigrateCommand = defineCommand({
  name: 'db migrate',
  summary: 'Brings the PostgreSQL store\'s schema to this version (safe while replicas run or migrate)',
  usage: 'pluginops db migrate [--json] [--config FILE]',
  options,
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `db migrate takes no arguments\nusage: ${this.usage}`);
    const r = await withDb(ctx, values, (db) => migrate(db));
    if (values.json) ctx.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else if (r.applied.length === 0) ctx.stdout.write(`the schema is up to date (version ${r.status.current})\n`);
    else ctx.stdout.write(`${r.status.applied.filter((a) => r.applied.includes(a.version)).map((a) => `applied ${a.version} ${a.name}`).join('\n')}\nthe schema is at version ${r.status.current}\n`);
    return exitCodes.success;
  },
});

export const dbStatusCommand = defineCommand({
  name: 'db status',
  summary: 'The PostgreSQL store\'s schema version, pending migrations, live replicas and the leader',
  usage: 'pluginops db status [--json] [--config FILE]',
  options,
  async run({ values, positionals }, ctx) {
    if (positionals.length) throw new CliError('E_USAGE', `db status takes no arguments\nusage: ${this.usage}`);
    const r = await withDb(ctx, values, async (db) => {
      const schema = await schemaStatus(db);
      // An empty or older database has no replicas or leases to show yet.
      const ready = schema.current >= 2;
      return { database: db.where, schema, replicas: ready ? await liveReplicas(db) : [], leader: ready ? await currentLeader(db) ?? null : null };
    });
    if (values.json) ctx.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      const lines = [
        `database  ${r.database}`,
        `schema    version ${r.schema.current} of ${r.schema.latest}${r.schema.pending.length ? ` (pending: ${r.schema.pending.map((p) => `${p.version} ${p.name}`).join(', ')}; run pluginops db migrate)` : ', up to date'}`,
        `leader    ${r.leader ? `${r.leader.holder} (epoch ${r.leader.epoch}${r.leader.url ? `, ${r.leader.url}` : ''})` : 'none'}`,
        `replicas  ${r.replicas.length ? r.replicas.map((x) => `${x.id}${x.url ? ` ${x.url}` : ''}`).join('\n          ') : 'none alive'}`,
      ];
      ctx.stdout.write(`${lines.join('\n')}\n`);
    }
    // Pending migrations are worth a non-zero exit in scripts that check before a rollout.
    return r.schema.pending.length ? exitCodes.failed : exitCodes.success;
  },
});
