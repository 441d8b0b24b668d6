// The incident journal's vocabulary: the events it records, what a caller passes, what it reads
// back, and the one edge it needs (git run with an argument array, never shell text).
import { PluginopsError } from '../errors/base.ts';

export const journalEvents = ['opened', 'acknowledged', 'remediated', 'approved', 'rejected', 'feedback', 'resolved'] as const;
export type JournalEvent = typeof journalEvents[number];

export const isJournalEvent = (s: string): s is JournalEvent => (journalEvents as readonly string[]).includes(s);

export interface JournalFile {
  /** A plain file name inside the incident's folder: no `/`, `\`, `..` or leading dot. */
  name: string;
  content: string;
}

export interface JournalEntry {
  incidentId: string;
  event: JournalEvent;
  status: string;
  severity: string;
  title: string;
  /** Milliseconds since the epoch. */
  at: number;
  by?: string;
  text: string;
  files?: JournalFile[];
}

/** What `git log` gives back for one journal commit. */
export interface JournalLogEntry {
  commit: string;
  at: number;
  incidentId: string;
  event: JournalEvent;
  status: string;
  severity: string;
  by?: string;
  subject: string;
}

export interface RecordResult {
  commit: string;
  /** Repository-relative POSIX path of the incident's folder. */
  folder: string;
  /** Repository-relative paths written and committed. */
  paths: string[];
}

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `git ARGS` in `cwd`; the caller decides the environment (GIT_* isolation). */
export interface JournalEdges {
  run: (args: string[], cwd: string) => Promise<GitRun>;
}

export type JournalErrorCode =
  | 'E_JOURNAL_NOT_REPO'
  | 'E_JOURNAL_ENTRY'
  | 'E_JOURNAL_FILE_NAME'
  | 'E_JOURNAL_UNSAFE_PATH'
  | 'E_JOURNAL_TIMELINE'
  | 'E_JOURNAL_GIT';

export class JournalError extends PluginopsError {
  readonly kind = 'failed';
  constructor(readonly code: JournalErrorCode, message: string) {
    super(message);
    this.name = 'JournalError';
  }
}
