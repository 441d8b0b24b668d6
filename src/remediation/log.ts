// The remediation log: events appended by serve (attempts, outcomes) and by people through the
// CLI or the API (feedback, breaker resets), folded into the remediation state (fold.ts). Where it
// lives is a port (log-port.ts): the file `<storeDir>/remediation.jsonl` (log-file.ts), or
// PostgreSQL for replicas sharing a database (src/pg/remediation-log.ts). Following and compacting
// it is log-follower.ts; compaction keeps every pending remediation and the newest `keptRecords`
// finished ones.
//
// The functions below are what the CLI uses without a running serve. Each takes the port, or a
// path, which names the file log.
import { insideRoot } from '../store/paths.ts';
import { RemediationError, type FieldProblem } from './errors.ts';
import type { FeedbackEvent, ResetEvent } from './events.ts';
import { isPending, type Applied, type RemediationRecord, type RemediationState } from './fold.ts';
import { maxTextLength, patterns, type PatternListing } from './learning.ts';
import { appendEvent, fileRemediationLog } from './log-file.ts';
import { keptRecords, RemediationFollower } from './log-follower.ts';
import type { RemediationLog } from './log-port.ts';

export { appendEvent, fileRemediationLog, keptRecords, RemediationFollower };
export type { RemediationLog };

export const remediationLogName = 'remediation.jsonl';
export const remediationLogPath = (storeDir: string): string => insideRoot(storeDir, remediationLogName);

/** A remediation log, or the path of a file log. */
export type LogPlace = RemediationLog | string;

export const logAt = (place: LogPlace): RemediationLog => (typeof place === 'string' ? fileRemediationLog(place) : place);

/** Follows the file log at `path` (the port's follower, named by its path). */
export class LogFollower extends RemediationFollower {
  constructor(readonly path: string, warn: (line: string) => void = () => {}) {
    super(fileRemediationLog(path), warn);
  }

  /** Bytes read so far. */
  get offset(): number { return this.size; }
}

/**
 * Replaces the log by one snapshot of `follower`'s state, brought up to date first with appends
 * held off, so no event appended meanwhile is lost. The follower continues after the snapshot.
 */
export function compactLog(follower: RemediationFollower, now: number): Promise<Applied[]> {
  return follower.compact(now);
}

/** The whole log folded; an empty state when there is no log yet. */
export async function readRemediationLog(place: LogPlace): Promise<RemediationState> {
  const follower = new RemediationFollower(logAt(place));
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
  place: LogPlace, incident: string, input: FeedbackInput, at: number, incidentKnown?: (id: string) => boolean,
): Promise<RemediationRecord> {
  const log = logAt(place);
  const state = await readRemediationLog(log);
  const event = feedbackEvent(state, incident, input, at, incidentKnown);
  await log.append(event);
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
export async function appendReset(place: LogPlace, plan: string, target: string, by: string, at: number): Promise<void> {
  await logAt(place).append(resetEvent(plan, target, by, at));
}
