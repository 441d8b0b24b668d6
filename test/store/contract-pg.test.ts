// The ExecutionStore contract (contract/index.ts) on PostgreSQL: each test on a database of its own,
// migrated, with one replica per store.
import { randomBytes } from 'node:crypto';
import { openDb, type Db } from '../../src/pg/db.ts';
import { openPgExecutionStore } from '../../src/pg/executions.ts';
import { migrate } from '../../src/pg/migrate.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { freshDatabase } from '../pg/cluster.ts';
import { storeContract, type OpenStore } from './contract/index.ts';

const open: OpenStore = async (o = {}) => {
  const url = await freshDatabase('contract');
  const dbs: Db[] = [];
  const stores: ExecutionStore[] = [];
  const clock = o.now ? () => o.now!().getTime() : undefined;
  // Each store as another process opens it: a pool and a replica of its own.
  const opened = async (replica = `r-${randomBytes(4).toString('hex')}`) => {
    const db = await openDb(url);
    dbs.push(db);
    if (dbs.length === 1) await migrate(db);
    const s = await openPgExecutionStore(db, { replica, ...(clock ? { clock } : {}) });
    stores.push(s);
    return s;
  };
  return {
    store: await opened(),
    another: () => opened(),
    // Created by a replica that then stopped: nothing runs it any more.
    async orphan(record) {
      const gone = await opened(`gone-${randomBytes(4).toString('hex')}`);
      await gone.create(record);
      await gone.close();
    },
    async close() {
      for (const s of stores) await s.close();
      for (const db of dbs) await db.close();
    },
  };
};

for (const s of storeContract('PostgreSQL store', open)) s.run();
