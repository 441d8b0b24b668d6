// Applying retention to a backups folder: the decisions of `retain`, and with `dryRun` nothing else.
import { removeBackup, removeLeftovers, withBackupsLock } from './folder.ts';
import { listBackups, retentionItem } from './list.ts';
import { retain, type RetentionDecision, type RetentionPolicy } from './retention.ts';

export async function pruneBackups(dir: string, policy: RetentionPolicy, now: Date, o: { dryRun?: boolean } = {}): Promise<RetentionDecision[]> {
  const decide = async () => retain((await listBackups(dir)).map(retentionItem), now.getTime(), policy);
  if (o.dryRun) return decide();
  return withBackupsLock(dir, async () => {
    await removeLeftovers(dir);
    const decisions = await decide();
    for (const d of decisions) if (!d.keep) await removeBackup(dir, d.id);
    return decisions;
  });
}
