// The ExecutionStore contract: what every store must do, whatever keeps its data. Run on the
// embedded store (../contract-file.test.ts) and on PostgreSQL (../contract-pg.test.ts), so the
// two answer alike; what only one store has (files, fsync, replicas) is tested beside it.
import type { Test } from 'uvu';
import type { ExecutionRecord, ExecutionStore } from '../../../src/store/types.ts';
import { exclusive, cancel, recovery } from './control.ts';
import { cleanup, figures, logs } from './logs-stats.ts';
import { lists, records } from './records.ts';

export interface StoreHarness {
  store: ExecutionStore;
  /** Another store on the same data, as another process (or replica) opens it. */
  another(): Promise<ExecutionStore>;
  /** Stores `record` as it is, owned by a process (or replica) that is gone. */
  orphan(record: ExecutionRecord): Promise<void>;
  /** Closes every store opened here. */
  close(): Promise<void>;
}

export type OpenStore = (o?: { now?: () => Date }) => Promise<StoreHarness>;

/** Runs `fn` on a fresh harness (with the store's clock at `o.now`), closed afterwards. */
export type Using = (fn: (h: StoreHarness) => Promise<void>, o?: { now?: () => Date }) => Promise<void>;

/** The contract's suites, for the caller to run (`for (const s of storeContract(…)) s.run()`). */
export function storeContract(name: string, open: OpenStore): Test[] {
  const using: Using = async (fn, o) => {
    const h = await open(o);
    try { await fn(h); } finally { await h.close(); }
  };
  return [records(name, using), lists(name, using), logs(name, using), figures(name, using), cleanup(name, using),
    cancel(name, using), exclusive(name, using), recovery(name, using)];
}
