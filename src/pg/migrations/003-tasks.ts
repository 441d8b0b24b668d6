import type { Migration } from './index.ts';

/**
 * The task queue and its workers. A task's indexed columns serve the claim (state, capabilities,
 * priority, run_at, created_at), the lease and deadline sweeps and the lists; the whole task is
 * `doc`. `task_events` holds what workers report (log lines, outputs, run events) until the replica
 * whose run waits for them has read them.
 */
export const tasks: Migration = {
  version: 3,
  name: 'tasks and workers',
  statements: [
    `CREATE TABLE workers (
      id text PRIMARY KEY,
      name text NOT NULL,
      capabilities text[] NOT NULL,
      online boolean NOT NULL,
      last_seen timestamptz NOT NULL,
      doc jsonb NOT NULL
    )`,
    'CREATE UNIQUE INDEX workers_online_name ON workers (name) WHERE online',
    `CREATE TABLE tasks (
      id text PRIMARY KEY,
      state text NOT NULL,
      priority smallint NOT NULL,
      capabilities text[] NOT NULL,
      run_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      deadline timestamptz,
      worker text,
      claim text,
      lease_until timestamptz,
      ended_at timestamptz,
      execution text,
      doc jsonb NOT NULL
    )`,
    'CREATE INDEX tasks_pending ON tasks (priority DESC, created_at, id) WHERE state = \'pending\'',
    'CREATE INDEX tasks_held ON tasks (worker) WHERE state IN (\'claimed\', \'running\')',
    'CREATE INDEX tasks_ended ON tasks (ended_at) WHERE ended_at IS NOT NULL',
    'CREATE INDEX tasks_lease ON tasks (lease_until) WHERE state IN (\'claimed\', \'running\')',
    'CREATE INDEX tasks_deadline ON tasks (deadline) WHERE state = \'pending\' AND deadline IS NOT NULL',
    'CREATE INDEX tasks_created ON tasks (created_at DESC, id DESC)',
    'CREATE INDEX tasks_execution ON tasks (execution) WHERE execution IS NOT NULL',
    `CREATE TABLE task_events (
      seq bigserial PRIMARY KEY,
      task_id text NOT NULL,
      at timestamptz NOT NULL,
      events jsonb NOT NULL
    )`,
    'CREATE INDEX task_events_task ON task_events (task_id, seq)',
    'CREATE INDEX task_events_at ON task_events (at)',
  ],
};
