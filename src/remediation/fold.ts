// The remediation log folded into what the engine and people need: the guard's state, the
// learning state and one record per remediation. Folding replays the pure building blocks in log
// order (an attempt is `decide` under the policy it was decided with, an outcome `recordOutcome`,
// a reset `resetBreaker`), so the guard after a restart, or in another process, is the one the
// log describes. Lines come from several processes whose clocks may differ a little: an event
// older than the guard's last time is applied at that time instead of failing.
//
// Learning counts each outcome (except `rejected`) and each feedback under two patterns: the
// rule (with the plugin when there is one), and the alert's category, so what one rule taught
// also ranks plans for the other rules of its category.
import { decide, emptyGuardState, outcomes, recordOutcome, resetBreaker, type BreakerChange, type GuardState } from './guard.ts';
import { emptyLearningState, recordFeedback, recordVerification, type LearningState, type PatternKey } from './learning.ts';
import type { GuardPolicy } from './policy.ts';
import type { Outcome } from './state.ts';
import type { AttemptEvent, LogEvent, LoggedOutcome, SkippedEvent, VerificationRecord } from './events.ts';

export interface FeedbackRecord {
  at: number;
  positive: boolean;
  reason?: string;
  expected?: string;
  by: string;
}

export interface RemediationRecord {
  id: string;
  incident: string;
  rule: string;
  check?: string;
  plugin?: string;
  category?: string;
  plan: string;
  target: string;
  /** Candidates still to try after a bad outcome of this one. */
  fallback?: string[];
  decision: 'run' | 'dry-run';
  runId?: string;
  params: Record<string, unknown>;
  /** Whether the run waited for a person's approval. */
  approval: boolean;
  policy: GuardPolicy;
  startedAt: number;
  approvedAt?: number;
  endedAt?: number;
  outcome?: LoggedOutcome;
  detail?: string;
  /** Who rejected the run, for the outcome `rejected`. */
  by?: string;
  verification?: VerificationRecord;
  feedback: FeedbackRecord[];
}

export interface RemediationState {
  guard: GuardState;
  learning: LearningState;
  /** By id, in the order they started. */
  records: Map<string, RemediationRecord>;
  /** Remediations skipped because self-healing was off, the newest `keptSkips`, oldest first. */
  skipped: SkippedEvent[];
}

export const keptSkips = 200;

/** What applying one event changed that a caller may have to act on. */
export interface Applied {
  event: LogEvent;
  breaker?: BreakerChange;
}

export function emptyRemediationState(): RemediationState {
  return { guard: emptyGuardState(), learning: emptyLearningState(), records: new Map(), skipped: [] };
}

/** A run that was started and has no outcome yet: the engine follows it. */
export const isPending = (r: RemediationRecord): boolean => r.decision === 'run' && r.runId !== undefined && r.outcome === undefined;

export function patternKeys(r: Pick<RemediationRecord, 'rule' | 'plugin' | 'category' | 'plan'>): PatternKey[] {
  const plugin = r.plugin === undefined ? {} : { plugin: r.plugin };
  return [{ scope: r.rule, ...plugin, plan: r.plan }, ...(r.category === undefined ? [] : [{ scope: `category:${r.category}`, ...plugin, plan: r.plan }])];
}

/** Applies one event to `state`, the fold's accumulator, in place. */
export function applyEvent(state: RemediationState, event: LogEvent): Applied {
  const at = Math.max(event.at, state.guard.lastAt ?? Number.NEGATIVE_INFINITY);
  switch (event.type) {
    case 'attempt': {
      if (state.records.has(event.id)) return { event };
      state.guard = decide(state.guard, event, event.policy, at).state;
      state.records.set(event.id, record(event));
      return { event };
    }
    case 'approved': {
      const r = state.records.get(event.id);
      if (r && r.approvedAt === undefined) r.approvedAt = event.at;
      return { event };
    }
    case 'outcome': {
      const r = state.records.get(event.id);
      if (!r || r.outcome !== undefined) return { event };
      Object.assign(r, {
        outcome: event.outcome, endedAt: event.at, ...(event.detail === undefined ? {} : { detail: event.detail }),
        ...(event.by === undefined ? {} : { by: event.by }), ...(event.verification === undefined ? {} : { verification: event.verification }),
      });
      if (!isOutcome(event.outcome)) return { event };
      const result = recordOutcome(state.guard, r, event.outcome, at, r.policy);
      state.guard = result.state;
      for (const key of patternKeys(r)) state.learning = recordVerification(state.learning, key, event.outcome, event.at);
      return result.breaker === undefined ? { event } : { event, breaker: result.breaker };
    }
    case 'feedback': {
      const r = state.records.get(event.id);
      if (!r) return { event };
      const { type: _t, id: _i, incident: _n, ...feedback } = event;
      for (const key of patternKeys(r)) {
        const result = recordFeedback(state.learning, key, feedback, event.at);
        if (!result.ok) return { event };
        state.learning = result.state;
      }
      r.feedback.push(feedback);
      return { event };
    }
    case 'skipped':
      state.skipped = [...state.skipped, event].slice(-keptSkips);
      return { event };
    case 'reset':
      state.guard = resetBreaker(state.guard, event, event.by, at);
      return { event };
    case 'snapshot':
      // Written from a fold by `compactLog`, so its parts have the shapes of the state.
      state.guard = structuredClone(event.guard) as unknown as GuardState;
      state.learning = structuredClone(event.learning) as unknown as LearningState;
      state.records = new Map(event.records.map((r) => [r.id, structuredClone(r) as unknown as RemediationRecord]));
      state.skipped = structuredClone(event.skipped ?? []);
      return { event };
  }
}

export function foldEvents(events: Iterable<LogEvent>, state = emptyRemediationState()): RemediationState {
  for (const e of events) applyEvent(state, e);
  return state;
}

const isOutcome = (o: LoggedOutcome): o is Outcome => (outcomes as readonly string[]).includes(o);

function record(e: AttemptEvent): RemediationRecord {
  const { type: _t, at, ...rest } = e;
  return { ...rest, startedAt: at, feedback: [] };
}
