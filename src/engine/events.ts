// Run events: the one stream every renderer and the store recorder consume. Each consumer handles
// them through a table with one handler per kind (`EventHandlers`), so a new kind that a consumer
// does not handle fails to compile there; a consumer that ignores a kind says so with a no-op.
import type { ApprovalRecord, ExecutionStatus, LogLevel, StepStatus } from '../store/types.ts';

interface Base { executionId: string; at: number }

/**
 * A problem at a place in the user's files, found by a step (a syntax error, a missing file, a
 * failing test): `file` is relative to the run's workspace, with `/` separators.
 */
export interface LocatedProblem { file: string; line: number; col?: number; message: string; title?: string }

/** Which output of a step's process a line came from. */
export type OutputStream = 'stdout' | 'stderr';

export type RunEvent =
  | Base & { type: 'execution.started'; workflow: string; steps: Array<{ id: string; name: string; needs: string[] }> }
  | Base & { type: 'step.started'; step: string; attempt: number }
  /** `stream` marks a line a step's process wrote (its stdout or stderr), as opposed to the step's own messages. */
  | Base & { type: 'step.log'; step: string; level: LogLevel; message: string; stream?: OutputStream }
  | Base & { type: 'step.artifact'; step: string; name: string; path: string; size?: number; sha256?: string }
  | Base & { type: 'step.retrying'; step: string; attempt: number; delayMs: number; reason: string }
  | Base & { type: 'step.finished'; step: string; status: StepStatus; conclusion: StepStatus; attempts: number; durationMs: number; outputs: Record<string, string>; error?: string; problems?: LocatedProblem[] }
  | Base & { type: 'step.skipped'; step: string; status: 'skipped' | 'cancelled'; reason: string }
  /** A step that succeeded in an earlier run of this execution (before an approval, or a retry) and is not run again. */
  | Base & { type: 'step.kept'; step: string; outputs: Record<string, string> }
  /** A step that pauses the run until people decide (an approval); the run ends `waiting`. */
  | Base & { type: 'step.waiting'; step: string; approval: ApprovalRecord }
  | Base & { type: 'execution.finished'; status: ExecutionStatus; durationMs: number; error?: string };

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type Emit = (event: RunEvent) => void;

type EventMap = { [K in RunEventType]: EventOf<K> };

/** One handler per kind of run event, each given the event narrowed to its kind (and `A`, when a consumer passes more). */
export type EventHandlers<R, A extends unknown[] = []> = { [K in RunEventType]: (e: EventMap[K], ...args: A) => R };

/** Hands an event to the handler of its kind. */
export function dispatch<R, A extends unknown[], K extends RunEventType>(handlers: EventHandlers<R, A>, e: EventMap[K], ...args: A): R {
  const handle: (e: EventMap[K], ...args: A) => R = handlers[e.type];
  return handle(e, ...args);
}

/** The handler of a kind a consumer deliberately ignores. */
export const ignore = (): void => undefined;
