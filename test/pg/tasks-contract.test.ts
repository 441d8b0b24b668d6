// The queue contract on PostgreSQL: the same behaviour as the board, each test on an emptied
// database of this file's own (the first queue creates task_events). Long polls here are woken by notifications only (their fallback
// poll is set past any test), so a wakeup that depends on the poll would fail, not pass slowly.
import { openDb, type Db } from '../../src/pg/db.ts';
import { migrate } from '../../src/pg/migrate.ts';
import { PgTaskQueue } from '../../src/pg/tasks.ts';
import { queueContract } from '../tasks/contract.ts';
import { freshDatabase } from './cluster.ts';

let db: Db | undefined;
const database = async (): Promise<Db> => {
  if (!db) {
    db = await openDb(await freshDatabase('tasks'));
    await migrate(db);
    process.on('beforeExit', () => { void db?.close(); db = undefined; });
  }
  return db;
};

let last: PgTaskQueue | undefined;

queueContract('task queue: PostgreSQL', async (o) => {
  const d = await database();
  // A test that makes several queues is done with the one before; its listener stops here.
  await last?.close();
  // Rows deleted, not truncated: a read of the queue closed above may still be under way.
  for (const table of ['tasks', 'workers']) await d.query(`DELETE FROM ${table}`);
  await d.query('DELETE FROM task_events').catch(() => undefined);
  const queue = last = await PgTaskQueue.open(d, { ...o, pollMs: 600_000 });
  return { queue, close: () => queue.close() };
}).run();
