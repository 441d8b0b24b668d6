// Names that become paths: an incident id becomes one folder name, deterministically, and an
// extra file name must be a plain name inside that folder. Nothing here touches the disk.
import { createHash } from 'node:crypto';
import { JournalError } from './types.ts';

/** The journal's files of its own, which an extra file may not replace. */
export const reservedNames = ['summary.md', 'timeline.json'] as const;

const plain = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const maxName = 100;

/**
 * The folder name for an incident id: the id itself when it is already a plain name, otherwise
 * its characters outside [A-Za-z0-9._-] as `-`, with a short hash of the whole id so that
 * `a/b` and `a-b` never share a folder.
 */
export function safeIncidentId(id: string): string {
  if (plain.test(id) && id.length <= maxName && !id.includes('..')) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 10);
  const stem = id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[-.]+|[-.]+$/g, '').slice(0, maxName - 11);
  return stem ? `${stem}-${hash}` : `incident-${hash}`;
}

/** Why `name` cannot be an extra file of an incident, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (/[/\\]/.test(name)) return 'it contains a path separator; expected a plain file name such as report.md';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (name === '.' || name === '..' || name.startsWith('.')) return 'it starts with "."; hidden files and parent links are not journal files';
  if (name.length > maxName) return `it is longer than ${maxName} characters`;
  if ((reservedNames as readonly string[]).includes(name)) return 'the journal writes that file itself';
  return undefined;
}

export function checkFileName(incidentId: string, name: string): void {
  const problem = fileNameProblem(name);
  if (problem) throw new JournalError('E_JOURNAL_FILE_NAME', `file name ${JSON.stringify(name)} for incident ${JSON.stringify(incidentId)} is refused: ${problem}`);
}

/** Text that must fit on one line (a subject, a trailer value): runs of whitespace as one space. */
export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();
