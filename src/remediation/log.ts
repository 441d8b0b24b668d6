// The remediation log on disk: `<storeDir>/remediation.jsonl`, append-only, one event a line
// (events.ts), folded into the remediation state (fold.ts). Several processes write it: serve
// records attempts and outcomes, the CLI appends feedback and breaker resets while serve runs.
// Every append is one `appendFile` of one whole line, made while holding `<log>.lock`; a line torn
// by a crash is ended by the next append, which then starts on a fresh line, and is skipped when
// read, like any line that is not an event. Readers follow the file by its size
// (`LogFollower.sync`), so serve picks up what the CLI appended on its next tick.
//
// Compaction (`compactLog`, by serve once the log passes a size) replaces the file, under the same
// lock, by one snapshot of the folded state, keeping every pending remediation and the newest
// `keptRecords` finished ones; a reader that sees another file under the name starts over.
//
// The functions at the bottom are what the CLI uses without a running serve.
import { appendFile, mkdir, open, rename, stat } from 'node:fs/promises';
import { syncDirectory } from '../store/append-log.ts';
import { withLockFile } from '../store/lock.ts';
import { insideRoot } from '../store/paths.ts';
import { dirname } from 'node:path';
import { RemediationError, type FieldProblem } from './errors.ts';
import { eventLine, parseEvent, type FeedbackEvent, type LogEvent, type ResetEvent } from './events.ts';
import { applyEvent, emptyRemediationState, isPending, type Applied, type RemediationRecord, type RemediationState } from './fold.ts';
import { maxTextLength, patterns, type PatternListing } from './learning.ts';

export const remediationLogName = 'remediation.jsonl';
export const remediationLogPath = (storeDir: string): string => insideRoot(storeDir, remediationLogName);

/** Appends one event as one line; a torn last line is ended first, in the same write. */
export async function appendEvent(path: string, event: LogEvent): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await withLockFile(lockOf(path), async () => {
    const torn = await endsTorn(path);
    await appendFile(path, `${torn ? '\n' : ''}${eventLine(event)}`);
  });
}

const lockOf = (path: string) => `${path}.lock`;

/** Finished remediations a compacted log keeps (the newest); pending ones are always kept. */
export const keptRecords = 1_000;

/**
 * Replaces the log by one snapshot of `follower`'s state, brought up to date under the lock first,
 * so no event appended meanwhile is lost. The follower continues on the new file.
 */
export async function compactLog(follower: LogFollower, now: number): Promise<Applied[]> {
  return withLockFile(lockOf(follower.path), async () => {
    const applied = await follower.sync();
    const all = [...follower.state.records.values()];
    const finished = all.filter((r) => !isPending(r));
    const keep = new Set([...all.filter(isPending), ...finished.slice(-keptRecords)].map((r) => r.id));
    const snapshot: LogEvent = {
      type: 'snapshot', at: now, guard: follower.state.guard as never, learning: follower.state.learning as never,
      records: all.filter((r) => keep.has(r.id)) as never, ...(follower.state.skipped.length ? { skipped: follower.state.skipped } : {}),
    };
    const temp = `${follower.path}.${process.pid}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(eventLine(snapshot));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, follower.path);
    await syncDirectory(dirname(follower.path));
    await follower.restart();
    return applied;
  });
}

async function endsTorn(path: string): Promise<boolean> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return false;
  try {
    const { size } = await file.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await file.close();
  }
}

/** Follows the log: `sync` applies whatever whole lines were appended since the last call. */
export class LogFollower {
  state: RemediationState = emptyRemediationState();
  #offset = 0;
  /** The file read so far (its inode): another one under the name (a compaction) is read from its start. */
  #ino: number | undefined;

  constructor(readonly path: string, private readonly warn: (line: string) => void = () => {}) {}

  /** Reads lines appended since the last sync (from the start if the file shrank) and applies them in order. */
  /** Bytes read so far. */
  get offset(): number { return this.#offset; }

  /** Forgets what was read and reads the file again from its start. */
  async restart(): Promise<Applied[]> {
    this.state = emptyRemediationState();
    this.#offset = 0;
    this.#ino = undefined;
    return this.sync();
  }

  async sync(): Promise<Applied[]> {
    const info = await stat(this.path).catch(() => undefined);
    const size = info?.size ?? 0;
    if (size < this.#offset || (info && this.#ino !== undefined && info.ino !== this.#ino)) { this.state = emptyRemediationState(); this.#offset = 0; }
    this.#ino = info?.ino;
    if (size === this.#offset) return [];
    const file = await open(this.path, 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(size - this.#offset);
      const { bytesRead } = await file.read(chunk, 0, chunk.length, this.#offset);
      chunk = chunk.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
    // A last line without its newline may still be being written: it waits for the next sync.
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) return [];
    const start = this.#offset;
    this.#offset += end + 1;
    const applied: Applied[] = [];
    const lines = chunk.subarray(0, end).toString('utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      const event = parseEvent(line);
      if (!event) {
        if (line.trim() !== '') this.warn(`${this.path}: line ${i + 1} after byte ${start} is not a remediation event; skipped`);
        continue;
      }
      try { applied.push(applyEvent(this.state, event)); } catch (e) {
        this.warn(`${this.path}: an ${event.type} event could not be applied (${(e as Error).message}); skipped`);
      }
    }
    return applied;
  }
}

/** The whole log folded; an empty state when there is no log yet. */
export async function readRemediationLog(path: string): Promise<RemediationState> {
  const follower = new LogFollower(path);
  await follower.sync();
  return follower.state;
}

export interface RecordFilter {
  incident?: string;
  rule?: string;
  plugin?: string;
  plan?: string;
  /** Only runs still being followed. */
  pending?: boolean;
}

export function listRecords(state: RemediationState, filter: RecordFilter = {}): RemediationRecord[] {
  return [...state.records.values()].filter((r) =>
    (filter.incident === undefined || r.incident === filter.incident) && (filter.rule === undefined || r.rule === filter.rule)
    && (filter.plugin === undefined || r.plugin === filter.plugin) && (filter.plan === undefined || r.plan === filter.plan)
    && (filter.pending === undefined || isPending(r) === filter.pending));
}

/** What learning knows, best plan first per (scope, plugin); `recommended` marks the plan to prefer. */
export function listPatterns(state: RemediationState, filter: { scope?: string; plugin?: string } = {}): PatternListing[] {
  return patterns(state.learning, filter);
}

export interface FeedbackInput {
  positive: boolean;
  reason?: string;
  expected?: string;
  by: string;
}

/**
 * Validates feedback on an incident's remediation and returns the event that records it: the
 * incident's latest remediation that ran (not a dry run). `incidentKnown` says whether the
 * monitor knows the incident; without it, an incident the log does not name is unknown.
 */
export function feedbackEvent(
  state: RemediationState, incident: string, input: FeedbackInput, at: number, incidentKnown?: (id: string) => boolean,
): FeedbackEvent {
  const records = listRecords(state, { incident });
  if (!(incidentKnown?.(incident) ?? records.length > 0)) {
    throw new RemediationError('E_UNKNOWN_INCIDENT', `there is no incident \`${incident}\`; expected the id of an incident (pluginops incidents list)`);
  }
  const target = records.filter((r) => r.decision === 'run').at(-1);
  if (!target) {
    const dry = records.length > 0 ? ' (only dry runs were recorded)' : '';
    throw new RemediationError('E_NO_REMEDIATION', `incident \`${incident}\` had no automatic remediation${dry}; feedback applies to an incident a plan ran for`);
  }
  const problems = feedbackProblems(input);
  if (problems.length) {
    throw new RemediationError('E_FEEDBACK_INVALID', `the feedback is not valid: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return {
    type: 'feedback', at, id: target.id, incident, positive: input.positive, by: input.by.trim(),
    ...(input.reason?.trim() ? { reason: input.reason.trim() } : {}), ...(input.expected?.trim() ? { expected: input.expected.trim() } : {}),
  };
}

function feedbackProblems(input: FeedbackInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof input.positive !== 'boolean') problems.push({ field: 'positive', message: `\`positive\` must be true or false, found ${JSON.stringify(input.positive) ?? 'nothing'}` });
  if (typeof input.by !== 'string' || input.by.trim() === '') problems.push({ field: 'by', message: 'feedback must name who gave it: `by` is empty' });
  for (const field of ['reason', 'expected'] as const) {
    const value: unknown = input[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') problems.push({ field, message: `\`${field}\` must be text, found ${typeof value}` });
    else if ([...value].length > maxTextLength) problems.push({ field, message: `\`${field}\` has ${[...value].length} characters; at most ${maxTextLength} are allowed` });
  }
  return problems;
}

/** Appends feedback on an incident's remediation (see `feedbackEvent`); returns the remediation it applies to. */
export async function appendFeedback(
  path: string, incident: string, input: FeedbackInput, at: number, incidentKnown?: (id: string) => boolean,
): Promise<RemediationRecord> {
  const state = await readRemediationLog(path);
  const event = feedbackEvent(state, incident, input, at, incidentKnown);
  await appendEvent(path, event);
  return state.records.get(event.id)!;
}

/** The event that closes the breaker of (plan, target), after checking who asks. */
export function resetEvent(plan: string, target: string, by: string, at: number): ResetEvent {
  const problems: FieldProblem[] = [];
  for (const [field, value] of [['plan', plan], ['target', target], ['by', by]] as const) {
    if (typeof value !== 'string' || value.trim() === '') problems.push({ field, message: `\`${field}\` is empty; expected ${field === 'by' ? 'who resets the breaker' : `the ${field} of the breaker`}` });
  }
  if (problems.length) throw new RemediationError('E_RESET_INVALID', `the breaker reset is not valid: ${problems.map((p) => p.message).join('; ')}`, problems);
  return { type: 'reset', at, plan, target, by: by.trim() };
}

/** Appends a breaker reset; serve applies it on its next tick. */
export async function appendReset(path: string, plan: string, target: string, by: string, at: number): Promise<void> {
  await appendEvent(path, resetEvent(plan, target, by, at));
}
