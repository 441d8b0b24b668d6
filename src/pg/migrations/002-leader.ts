import type { Migration } from './index.ts';

/**
 * The leader lease (one row per role, with a fencing epoch), the state the leader keeps (the
 * monitor's snapshot and the like, each written under the epoch that wrote it) and the
 * notification outbox (one row per notification owed, keyed by what owes it).
 */
export const leader: Migration = {
  version: 2,
  name: 'leader and notifications',
  statements: [
    `CREATE TABLE leases (
      role text PRIMARY KEY,
      holder text NOT NULL,
      epoch bigint NOT NULL,
      acquired_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`,
    `CREATE TABLE state_documents (
      name text PRIMARY KEY,
      epoch bigint NOT NULL,
      updated_at timestamptz NOT NULL,
      body jsonb NOT NULL
    )`,
    `CREATE TABLE notifications (
      key text PRIMARY KEY,
      incident text,
      channel text NOT NULL,
      state text NOT NULL CHECK (state IN ('owed', 'sending', 'sent', 'failed', 'dropped')),
      attempts integer NOT NULL DEFAULT 0,
      epoch bigint NOT NULL,
      created_at timestamptz NOT NULL,
      claimed_at timestamptz,
      sent_at timestamptz,
      last_error text,
      body jsonb NOT NULL
    )`,
    'CREATE INDEX notifications_open ON notifications (created_at) WHERE state IN (\'owed\', \'sending\')',
  ],
};
