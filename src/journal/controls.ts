// Run-time control changes in the git journal: each change is one commit that appends a line to
// `controls/changes.md` and rewrites `controls/current.json` (the controls in force after it),
// with a message whose trailers say which action, target, who and when. Like incident records,
// only those paths are committed, and only into plain directories of the repository.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ControlChange, ControlsState } from '../monitor/controls/model.ts';
import type { Git } from './git.ts';
import { oneLine } from './names.ts';
import { JournalError, type RecordResult } from './types.ts';

export const controlsRoot = 'controls';

export const controlTrailers = { action: 'Control-Action', target: 'Control-Target', by: 'Control-By', at: 'Control-At', until: 'Control-Until' } as const;

export interface ControlEntry { change: ControlChange; state: ControlsState }

const iso = (ms: number) => new Date(ms).toISOString();

/** The commit message as paragraphs: subject, the reason, trailers. */
export function controlParagraphs({ change }: ControlEntry): string[] {
  const trailers = [
    `${controlTrailers.action}: ${change.action}`,
    `${controlTrailers.target}: ${oneLine(change.target)}`,
    `${controlTrailers.by}: ${oneLine(change.by)}`,
    `${controlTrailers.at}: ${iso(change.at)}`,
    ...(change.until === undefined ? [] : [`${controlTrailers.until}: ${iso(change.until)}`]),
  ];
  return [`controls: ${change.action} ${oneLine(change.target)} by ${oneLine(change.by)}`, change.reason.trim(), trailers.join('\n')];
}

/** One line of changes.md. */
export const changeLine = (c: ControlChange): string =>
  `- ${iso(c.at)} ${c.action} ${oneLine(c.target)}${c.until === undefined ? '' : ` until ${iso(c.until)}`} by ${oneLine(c.by)}: ${oneLine(c.reason)}\n`;

export async function recordControlOne(git: Git, top: string, identity: string[], entry: ControlEntry): Promise<RecordResult> {
  const folder = join(top, controlsRoot);
  const st = await lstat(folder).catch(() => undefined);
  if (st === undefined) await mkdir(folder);
  else if (!st.isDirectory()) throw new JournalError('E_JOURNAL_UNSAFE_PATH', `${controlsRoot} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; the journal writes only into plain directories of the repository`);
  const changes = join(folder, 'changes.md');
  const current = join(folder, 'current.json');
  for (const path of [changes, current]) {
    const f = await lstat(path).catch(() => undefined);
    if (f && !f.isFile()) throw new JournalError('E_JOURNAL_UNSAFE_PATH', `${path} exists and is not a regular file`);
  }
  const before = await readFile(changes, 'utf8').catch(() => '# Run-time control changes\n\n');
  await writeFile(changes, before + changeLine(entry.change));
  const { changes: _c, ...inForce } = entry.state;
  await writeFile(current, `${JSON.stringify(inForce, null, 2)}\n`);
  const paths = [`${controlsRoot}/changes.md`, `${controlsRoot}/current.json`];
  await git(['--literal-pathspecs', 'add', '--', ...paths]);
  const message = controlParagraphs(entry).flatMap((p) => ['-m', p]);
  const date = `@${Math.floor(entry.change.at / 1000)} +0000`;
  await git([...identity, '--literal-pathspecs', 'commit', '--quiet', '--no-verify', '--cleanup=whitespace', `--date=${date}`, ...message, '--only', '--', ...paths]);
  const commit = (await git(['rev-parse', 'HEAD'])).trim();
  return { commit, folder: controlsRoot, paths };
}
