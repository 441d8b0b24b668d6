import type { Migration } from './index.ts';

/** Executions with their logs, and the replicas that run them (an execution's owner). */
export const executions: Migration = {
  version: 1,
  name: 'executions',
  statements: [
    `CREATE TABLE replicas (
      id text PRIMARY KEY,
      host text NOT NULL,
      pid integer NOT NULL,
      url text,
      started_at timestamptz NOT NULL,
      seen_at timestamptz NOT NULL,
      stopped_at timestamptz
    )`,
    `CREATE TABLE executions (
      id text PRIMARY KEY,
      workflow text NOT NULL,
      kind text,
      category text,
      plugin text,
      status text NOT NULL,
      created_at timestamptz NOT NULL,
      ended_at timestamptz,
      owner text,
      cancel_requested text,
      record jsonb NOT NULL
    )`,
    'CREATE INDEX executions_created ON executions (created_at DESC, id DESC)',
    'CREATE INDEX executions_active ON executions (status) WHERE status IN (\'pending\', \'running\', \'waiting\')',
    `CREATE TABLE execution_logs (
      execution text NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
      seq bigserial,
      record jsonb NOT NULL,
      PRIMARY KEY (execution, seq)
    )`,
    'CREATE TABLE execution_locks (id text PRIMARY KEY)',
  ],
};
