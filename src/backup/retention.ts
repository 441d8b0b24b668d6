// Which backups `prune` keeps: a pure decision over the backups, the time and the policy, each
// with its reason. Kept: every pinned backup; the newest backup whose last verification passed;
// every backup younger than `keepDays`; and the newest `keepCount` backups not known to be bad.
// Everything else goes.

export interface RetentionPolicy {
  keepDays: number;
  keepCount: number;
}

export const defaultRetention: RetentionPolicy = { keepDays: 7, keepCount: 3 };

export interface RetentionItem {
  id: string;
  /** ms since the epoch. */
  createdAt: number;
  pinned: boolean;
  /** The last verification: passed, failed, or never done. */
  verified: 'ok' | 'failed' | 'never';
}

export interface RetentionDecision { id: string; keep: boolean; reason: string }

const dayMs = 24 * 60 * 60 * 1000;

const age = (ms: number): string => {
  const days = ms / dayMs;
  return days >= 1 ? `${Math.floor(days)} day${Math.floor(days) === 1 ? '' : 's'} old` : `${Math.max(0, Math.floor(ms / 3_600_000))} h old`;
};

/** One decision per backup, newest first. */
export function retain(items: readonly RetentionItem[], now: number, policy: RetentionPolicy): RetentionDecision[] {
  const newestFirst = [...items].sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
  const newestVerified = newestFirst.find((b) => b.verified === 'ok')?.id;
  const usable = newestFirst.filter((b) => b.verified !== 'failed');
  const topCount = new Set(usable.slice(0, policy.keepCount).map((b) => b.id));
  const window = policy.keepDays * dayMs;
  return newestFirst.map((b): RetentionDecision => {
    const old = now - b.createdAt;
    if (b.pinned) return { id: b.id, keep: true, reason: 'kept because it is pinned' };
    if (b.id === newestVerified) return { id: b.id, keep: true, reason: 'kept because it is the newest verified backup' };
    if (old < window) return { id: b.id, keep: true, reason: `kept because it is ${age(old)}, younger than ${policy.keepDays} days` };
    if (topCount.has(b.id)) return { id: b.id, keep: true, reason: `kept because it is among the newest ${policy.keepCount}` };
    const bad = b.verified === 'failed' ? ' and its last verification failed' : '';
    return { id: b.id, keep: false, reason: `removed because it is ${age(old)}, older than ${policy.keepDays} days${bad}, and not among the newest ${policy.keepCount}${bad ? ' usable ones' : ''}` };
  });
}
