import type { Migration } from './index.ts';

/**
 * The remediation log (src/pg/remediation-log.ts): one row per event, in `seq` order. The event
 * is `json`, not `jsonb`: its text is kept as written, so a snapshot's objects keep their key
 * order and fold back exactly as they do from the file (the order lists breakers and patterns in).
 */
export const remediation: Migration = {
  version: 4,
  name: 'remediation log',
  statements: [
    `CREATE TABLE remediation_events (
      seq bigserial PRIMARY KEY,
      appended_at timestamptz NOT NULL DEFAULT now(),
      event json NOT NULL
    )`,
  ],
};
