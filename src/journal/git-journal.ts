// The incident journal: an incident history kept as commits in a git repository. Each record
// rewrites `incidents/<safe id>/summary.md` from the incident's `timeline.json`, writes any extra
// files beside them, and commits exactly those paths with a message whose trailers say which
// incident, event, status and severity it was. Records run one at a time.
import { stat } from 'node:fs/promises';
import { gitAt, workTreeTop, type Git } from './git.ts';
import { commitParagraphs } from './message.ts';
import { recordControlOne, type ControlEntry } from './controls.ts';
import { recordOptimizationOne, type OptimizationEntry } from './optimization.ts';
import { checkFileName, oneLine, safeIncidentId } from './names.ts';
import { incidentFolder, journalRoot, readIfPresent, writeJournalFile } from './files.ts';
import { appendToTimeline, parseTimeline, renderSummary, timelineJson, type Timeline } from './timeline.ts';
import { isJournalEvent, JournalError, type JournalEdges, type JournalEntry, type JournalFile, type RecordResult } from './types.ts';

export { readJournal, type ReadOptions } from './read.ts';
export { safeIncidentId } from './names.ts';
export * from './types.ts';

export interface JournalOptions {
  /** A path inside a git work tree; the journal lives under `incidents/` at its top. */
  repo: string;
  /** Records go on this branch: checked out (created when missing) when the journal opens. */
  branch?: string;
  /** The commits' author and committer; default `pluginops journal <journal@pluginops.invalid>`. */
  author?: { name: string; email: string };
}

export interface Journal {
  /** The top of the work tree. */
  readonly top: string;
  record(entry: JournalEntry): Promise<RecordResult>;
  /** A run-time control change: one commit under `controls/` (controls.ts). */
  recordControl(entry: ControlEntry): Promise<RecordResult>;
  /** An applied optimization suggestion that ended: one commit under `optimization/` (optimization.ts). */
  recordOptimization(entry: OptimizationEntry): Promise<RecordResult>;
}

const defaultAuthor = { name: 'pluginops journal', email: 'journal@pluginops.invalid' };

export async function openJournal(o: JournalOptions, edges: JournalEdges): Promise<Journal> {
  const st = await stat(o.repo).catch(() => undefined);
  if (!st?.isDirectory()) throw new JournalError('E_JOURNAL_NOT_REPO', `${o.repo} ${st ? 'is not a directory' : 'does not exist'}; expected the work tree of a git repository for the incident journal`);
  const top = await workTreeTop(edges, o.repo);
  const git = gitAt(edges, top);
  if (o.branch !== undefined) await checkoutBranch(git, o.branch);
  const author = o.author ?? defaultAuthor;
  const identity = ['-c', `user.name=${oneLine(author.name)}`, '-c', `user.email=${oneLine(author.email)}`, '-c', 'commit.gpgsign=false'];

  let queue: Promise<unknown> = Promise.resolve();
  const queued = (fn: () => Promise<RecordResult>): Promise<RecordResult> => {
    const next = queue.then(fn);
    queue = next.catch(() => undefined);
    return next;
  };
  const record = (entry: JournalEntry) => queued(() => recordOne(git, top, identity, entry));
  const recordControl = (entry: ControlEntry) => queued(() => recordControlOne(git, top, identity, entry));
  const recordOptimization = (entry: OptimizationEntry) => queued(() => recordOptimizationOne(git, top, identity, entry));
  return { top, record, recordControl, recordOptimization };
}

async function checkoutBranch(git: Git, branch: string): Promise<void> {
  if (branch.startsWith('-')) throw new JournalError('E_JOURNAL_ENTRY', `branch "${branch}" starts with "-", which git would read as an option`);
  await git(['check-ref-format', '--branch', branch]).catch(() => {
    throw new JournalError('E_JOURNAL_ENTRY', `"${branch}" is not a valid branch name`);
  });
  const current = (await git(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim();
  if (current === branch) return;
  const exists = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then(() => true, () => false);
  await git(exists ? ['checkout', '--quiet', branch, '--'] : ['checkout', '--quiet', '-b', branch]);
}

async function recordOne(git: Git, top: string, identity: string[], entry: JournalEntry): Promise<RecordResult> {
  checkEntry(entry);
  const safeId = safeIncidentId(entry.incidentId);
  const given = entry.files ?? [];
  for (const f of given) checkFileName(entry.incidentId, f.name);
  const folder = await incidentFolder(top, safeId);
  const previousText = await readIfPresent(folder, 'timeline.json');
  const rel = `${journalRoot}/${safeId}`;
  const previous = previousText === undefined ? undefined : parseTimeline(previousText, `${rel}/timeline.json`);
  const extra = extraFiles(entry, given, previous);
  const timeline = appendToTimeline(previous, entry, extra.map((f) => f.name));

  for (const f of extra) await writeJournalFile(folder, f.name, f.content);
  await writeJournalFile(folder, 'timeline.json', timelineJson(timeline));
  await writeJournalFile(folder, 'summary.md', renderSummary(timeline));

  const paths = [`${rel}/summary.md`, `${rel}/timeline.json`, ...extra.map((f) => `${rel}/${f.name}`)];
  // Literal pathspecs: a file name with `*` or `:` means that file only.
  await git(['--literal-pathspecs', 'add', '--', ...paths]);
  const message = commitParagraphs(entry).flatMap((p) => ['-m', p]);
  const date = `@${Math.floor(entry.at / 1000)} +0000`;
  await git([...identity, '--literal-pathspecs', 'commit', '--quiet', '--no-verify', '--cleanup=whitespace', `--date=${date}`, ...message, '--only', '--', ...paths]);
  const commit = (await git(['rev-parse', 'HEAD'])).trim();
  return { commit, folder: rel, paths };
}

/** The entry's extra files, plus `feedback-<n>.md` holding the text of the n-th feedback when none is given. */
function extraFiles(entry: JournalEntry, given: JournalFile[], previous: Timeline | undefined): JournalFile[] {
  const n = (previous?.items ?? []).filter((i) => i.event === 'feedback').length + 1;
  const files = entry.event === 'feedback' && given.length === 0 ? [{ name: `feedback-${n}.md`, content: `${entry.text.trimEnd()}\n` }] : given;
  const names = new Set(files.map((f) => f.name));
  if (names.size !== files.length) throw new JournalError('E_JOURNAL_FILE_NAME', `incident ${JSON.stringify(entry.incidentId)}: two extra files share a name`);
  return files;
}

function checkEntry(e: JournalEntry): void {
  const bad = (what: string) => new JournalError('E_JOURNAL_ENTRY', `journal entry for incident ${JSON.stringify(e.incidentId)}: ${what}`);
  if (typeof e.incidentId !== 'string' || oneLine(e.incidentId) === '') throw bad('the incident id is empty');
  if (/[\u0000-\u001f\u007f]/.test(e.incidentId)) throw bad('the incident id contains a control character');
  if (!isJournalEvent(e.event)) throw bad(`unknown event "${String(e.event)}"; expected one of opened, acknowledged, remediated, approved, rejected, feedback, resolved`);
  for (const k of ['status', 'severity', 'title'] as const) if (typeof e[k] !== 'string' || oneLine(e[k]) === '') throw bad(`${k} is empty`);
  if (typeof e.text !== 'string') throw bad('text is not a string');
  if (!Number.isFinite(e.at) || e.at < 0) throw bad(`"at" is ${String(e.at)}; expected milliseconds since the epoch`);
}
