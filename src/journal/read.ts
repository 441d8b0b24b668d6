// Reading the journal back from `git log`: one record per commit, fields separated by NUL and
// records ended by RS, the incident fields taken from the commit's trailers. Commits without an
// Incident-Id trailer (the repository's other history) are skipped.
import { gitAt, workTreeTop } from './git.ts';
import { journalRoot } from './files.ts';
import { trailerKeys } from './message.ts';
import { safeIncidentId } from './names.ts';
import { isJournalEvent, JournalError, type JournalEdges, type JournalLogEntry } from './types.ts';

export interface ReadOptions {
  /** Only this incident's entries. */
  incidentId?: string;
  /** At most this many entries (the newest). */
  limit?: number;
  /** The branch or commit to read; default HEAD. */
  ref?: string;
}

const trailer = (key: string) => `%(trailers:key=${key},valueonly,unfold)`;
const fields = ['%H', '%at', '%s', ...Object.values(trailerKeys).map(trailer)];
export const logFormat = `${fields.join('%x00')}%x1e`;

export async function readJournal(repo: string, edges: JournalEdges, o: ReadOptions = {}): Promise<JournalLogEntry[]> {
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || o.limit < 0)) throw new JournalError('E_JOURNAL_ENTRY', `limit ${o.limit} is not a whole number ≥ 0`);
  const ref = o.ref ?? 'HEAD';
  if (ref.startsWith('-')) throw new JournalError('E_JOURNAL_ENTRY', `ref "${ref}" starts with "-", which git would read as an option`);
  const top = await workTreeTop(edges, repo);
  const git = gitAt(edges, top);
  // An unborn branch has recorded nothing yet.
  const head = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then((s) => s.trim(), () => undefined);
  if (head === undefined || o.limit === 0) return [];
  const scope = o.incidentId === undefined ? journalRoot : `${journalRoot}/${safeIncidentId(o.incidentId)}`;
  const out = await git(['--literal-pathspecs', 'log', `--format=${logFormat}`, head, '--', scope]);
  const entries = parseLog(out).filter((e) => o.incidentId === undefined || e.incidentId === o.incidentId);
  return o.limit === undefined ? entries : entries.slice(0, o.limit);
}

/** The journal entries in `git log --format=<logFormat>` output, in its order (newest first). */
export function parseLog(out: string): JournalLogEntry[] {
  return out.split('\x1e').flatMap((raw) => {
    const record = raw.replace(/^\n/, '');
    if (record === '') return [];
    const [commit = '', time = '', subject = '', incidentId, event, status, severity, at, approvedBy, by] = record.split('\0').map(firstValue);
    if (!incidentId || !event || !isJournalEvent(event)) return [];
    const stamped = at ? Date.parse(at) : NaN;
    const who = approvedBy || by;
    return [{
      commit, at: Number.isNaN(stamped) ? Number(time) * 1000 : stamped, incidentId, event,
      status: status ?? '', severity: severity ?? '', ...(who ? { by: who } : {}), subject,
    }];
  });
}

/** A trailer placeholder prints each value on its own line; the journal writes one. */
const firstValue = (s: string) => (s.split('\n')[0] ?? '').trim();
