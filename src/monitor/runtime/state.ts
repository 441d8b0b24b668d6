// Everything the monitor knows, as plain data, and its snapshot on disk. One JSON file
// (`<store>/monitor/state.json`) replaced atomically (temp file, fsync, rename), so a crash at
// any instant leaves either the previous snapshot or the next one, never a torn one.
//
// The snapshot is written before any notification it implies is sent: the outbox is part of it,
// so a restart resends what was owed (at least once; receivers dedupe by the incident's key) and
// never forgets a resolved notification. Alert baselines are kept as their raw samples and
// rebuilt on load. Check histories go to a second file (`histories.json`), written less often.
import { mkdir, readFile } from 'node:fs/promises';
import { replaceFile } from '../../store/append-log.ts';
import { insideRoot } from '../../store/paths.ts';
import type { Notification } from '../../notify/message.ts';
import type { AlertState } from '../alerts/state.ts';
import type { FlapState } from '../alerts/flap.ts';
import type { CheckResult } from '../checks/result.ts';
import type { HealthState } from '../checks/health.ts';
import type { Incident } from '../incidents/incident.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface CheckRecord {
  health: HealthState;
  /** Newest last, at most `historySize`. */
  history: CheckResult[];
}

export interface AlertRecord {
  key: string;
  ruleId: string;
  labels: Record<string, string>;
  state: AlertState;
  flap: FlapState;
  /** The last value judged, for display. */
  value?: number;
  /** Baseline samples (t, v), oldest first; only in snapshots. */
  samples?: Array<[number, number]>;
}

/** One notification owed to one channel. Items of a channel are sent in order. */
export interface OutboxItem {
  id: number;
  /**
   * Unique among every notification the monitor ever owes: `<incident>/<step>.<round>/<channel>`
   * for an escalation step, `<incident>/n<id>/<channel>` otherwise. Sent as the delivery's
   * idempotency key, so a receiver sees one notification however often a crash makes it resent.
   * Absent in snapshots written before keys existed (the id stands in).
   */
  key?: string;
  incidentId: string;
  channel: string;
  notification: Notification;
  createdAt: number;
  attempts: number;
  nextAt: number;
  lastError?: string;
}

export interface Counters {
  checksRun: number;
  checksFailed: number;
  evaluations: number;
  evaluationErrors: number;
  notificationsSent: number;
  notificationsFailed: number;
  notificationsDropped: number;
}

export interface Snapshot {
  version: 1;
  savedAt: number;
  checks: Record<string, CheckRecord>;
  alerts: AlertRecord[];
  incidents: Incident[];
  outbox: OutboxItem[];
  nextOutboxId: number;
  counters: Counters;
}

export const emptyCounters = (): Counters => ({
  checksRun: 0, checksFailed: 0, evaluations: 0, evaluationErrors: 0, notificationsSent: 0, notificationsFailed: 0, notificationsDropped: 0,
});

/**
 * Where snapshots are kept; `memoryPersistence` for tests and dry runs. Check histories are bulky
 * and only informative, so a save may leave them out (`histories: false`): the file persistence
 * then keeps the ones it wrote last.
 */
export interface Persistence {
  load(): Promise<Snapshot | undefined>;
  save(snapshot: Snapshot, o?: { histories?: boolean }): Promise<void>;
}

export class StateFileError extends PluginopsError {
  readonly code = 'E_STATE';
  readonly kind = 'failed';
  override name = 'StateFileError';
}

export function filePersistence(storeDir: string): Persistence {
  const dir = insideRoot(storeDir, 'monitor');
  const file = insideRoot(dir, 'state.json');
  const historyFile = insideRoot(dir, 'histories.json');
  return {
    async load() {
      let text: string;
      try { text = await readFile(file, 'utf8'); } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new StateFileError(`cannot read ${file}: ${(e as Error).message}`);
      }
      let value: unknown;
      try { value = JSON.parse(text); } catch (e) {
        throw new StateFileError(`${file} is not valid JSON (${(e as Error).message}); move it away to start with an empty monitor state`);
      }
      if (!isSnapshot(value)) throw new StateFileError(`${file} is not a monitor snapshot of version 1; move it away to start with an empty monitor state`);
      // Histories are informative: one that cannot be read is started afresh, not a failure.
      const histories = await readFile(historyFile, 'utf8').then((t) => JSON.parse(t) as Record<string, CheckResult[]>, () => ({} as Record<string, CheckResult[]>));
      for (const [id, rec] of Object.entries(value.checks)) {
        const h = histories[id];
        rec.history = Array.isArray(h) ? h : [];
      }
      return value;
    },
    async save(snapshot, o = {}) {
      await mkdir(dir, { recursive: true });
      const checks = Object.fromEntries(Object.entries(snapshot.checks).map(([id, rec]) => [id, { health: rec.health, history: [] }]));
      await replaceFile(file, JSON.stringify({ ...snapshot, checks }));
      if (o.histories) await replaceFile(historyFile, JSON.stringify(Object.fromEntries(Object.entries(snapshot.checks).map(([id, rec]) => [id, rec.history]))));
    },
  };
}

export function memoryPersistence(initial?: Snapshot): Persistence & { readonly saved: Snapshot | undefined; saves: number } {
  let saved = initial ? structuredClone(initial) : undefined;
  return {
    saves: 0,
    get saved() { return saved; },
    async load() { return saved ? structuredClone(saved) : undefined; },
    async save(s) { saved = structuredClone(s); this.saves++; },
  };
}

function isSnapshot(v: unknown): v is Snapshot {
  if (!v || typeof v !== 'object') return false;
  const s = v as Partial<Snapshot>;
  return s.version === 1 && typeof s.checks === 'object' && Array.isArray(s.alerts) && Array.isArray(s.incidents) && Array.isArray(s.outbox);
}
