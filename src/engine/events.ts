// Run events: the one stream every renderer and the store recorder consume. A new kind that a
// renderer does not handle fails to compile there (each renderer switches exhaustively).
import type { ExecutionStatus, LogLevel, StepStatus } from '../store/types.ts';

interface Base { executionId: string; at: number }

export type RunEvent =
  | Base & { type: 'execution.started'; workflow: string; steps: Array<{ id: string; name: string; needs: string[] }> }
  | Base & { type: 'step.started'; step: string; attempt: number }
  | Base & { type: 'step.log'; step: string; level: LogLevel; message: string }
  | Base & { type: 'step.artifact'; step: string; name: string; path: string; size?: number; sha256?: string }
  | Base & { type: 'step.retrying'; step: string; attempt: number; delayMs: number; reason: string }
  | Base & { type: 'step.finished'; step: string; status: StepStatus; conclusion: StepStatus; attempts: number; durationMs: number; outputs: Record<string, string>; error?: string }
  | Base & { type: 'step.skipped'; step: string; status: 'skipped' | 'cancelled'; reason: string }
  | Base & { type: 'execution.finished'; status: ExecutionStatus; durationMs: number; error?: string };

export type RunEventType = RunEvent['type'];
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type Emit = (event: RunEvent) => void;
