// Delivery risk: a run's failure risk (kept in the execution record, ../store/risk.ts) and the
// conflicts a pull request may meet, as the CLI, the Action, the API and the dashboard see them.
export * from '../store/risk.ts';

/** A changed range in a file, in the lines of the common base (`start` from 1; `lines` 0 for a pure insertion after `start`). */
export interface Hunk { start: number; lines: number }

export type ConflictLevel = 'none' | 'low' | 'medium' | 'high';

export interface ConflictFile {
  path: string;
  /** Lines between the nearest hunks of the two sides; 0 when they overlap or touch; null when a side changed the file as a whole (binary, deleted, renamed). */
  distance: number | null;
  /** Each side's hunks in the file, in order; at most 20 each, around the nearest pair. */
  ours: Hunk[];
  theirs: Hunk[];
}

export interface ConflictOverlap {
  other: {
    kind: 'pull' | 'branch';
    /** Pull request number (GitHub). */
    number?: number;
    title?: string;
    url?: string;
    /** The branch (git), or the pull request's head branch. */
    branch?: string;
    author?: string;
  };
  level: Exclude<ConflictLevel, 'none'>;
  /** git only: whether `git merge-tree` found a textual conflict with this branch. */
  conflicts?: boolean;
  /** git only: the files `git merge-tree` could not merge (at most 50). */
  conflicted?: string[];
  files: ConflictFile[];
  /** Files left out of `files` to keep the report small. */
  moreFiles?: number;
}

export interface ConflictReport {
  source: 'github' | 'git';
  /** The highest level among the overlaps; `none` when nothing overlaps. */
  level: ConflictLevel;
  /** How many other pull requests or branches were compared. */
  compared: number;
  /** Others not compared because of the cap (the older pull requests, the less recent branches). */
  notCompared?: number;
  overlaps: ConflictOverlap[];
  /** Overlaps left out of `overlaps` to keep the report small (the least risky). */
  moreOverlaps?: number;
  /** Why the check did not run or did not finish (the API failed or rate-limited, the base is missing); the run goes on. */
  skipped?: string;
}
