// The ExecutionStore contract (contract/index.ts) on the embedded store, in a temp directory.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { storeContract, type OpenStore } from './contract/index.ts';
import { tempDir } from './helpers.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? -1;
}

const open: OpenStore = async (o = {}) => {
  const dir = join(tempDir(), '.pluginops');
  const stores: ExecutionStore[] = [];
  const opened = async () => { const s = await openFileStore(dir, o); stores.push(s); return s; };
  return {
    store: await opened(),
    another: opened,
    // Written as a process that died would have left it: its created line names that process.
    async orphan(record) {
      const owned = { ...record, owner: { pid: deadPid(), host: hostname() } };
      writeFileSync(join(dir, 'executions', `${record.id}.jsonl`), `${JSON.stringify({ type: 'created', record: owned })}\n`);
    },
    async close() { for (const s of stores) await s.close(); },
  };
};

for (const s of storeContract('file store', open)) s.run();
