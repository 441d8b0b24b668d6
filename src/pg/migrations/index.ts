// The schema, as versioned forward-only migrations: each is applied once, in order, and recorded
// in `pluginops_migrations`. A migration is never edited once released; a change is a new one.
import { executions } from './001-executions.ts';
import { leader } from './002-leader.ts';
import { tasks } from './003-tasks.ts';
import { remediation } from './004-remediation.ts';

export interface Migration {
  version: number;
  name: string;
  /** Statements run in the migrating transaction, in order. */
  statements: readonly string[];
}

export const migrations: readonly Migration[] = [executions, leader, tasks, remediation];
export const latestVersion = migrations.at(-1)!.version;
