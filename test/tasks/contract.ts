// The behaviour every task queue keeps, whatever keeps it: one set of tests, run on the board in
// memory (contract-memory.test.ts) and on PostgreSQL (test/pg/tasks-contract.test.ts).
import { claims } from './contract/claims.ts';
import { leases } from './contract/leases.ts';
import { contractSuite, type Make } from './contract/setup.ts';
import { views } from './contract/views.ts';
import { waits } from './contract/waits.ts';
import { workers } from './contract/workers.ts';

export type { Make, MakeOptions, Subject } from './contract/setup.ts';

/** The contract's suite on `make`'s queues; the test file runs it. */
export function queueContract(name: string, make: Make): { run(): void } {
  const c = contractSuite(name, make);
  for (const part of [claims, workers, leases, waits, views]) part(c);
  return c;
}
