// One line per event, easy to grep in CI logs: `[step] what happened`. Progress goes to `out`;
// failures, error lines and the closing failure summary go to `err`.
import { formatDuration } from '../engine/duration.ts';
import type { RunEvent } from '../engine/events.ts';
import { failureLog } from './failures.ts';
import type { RenderTarget, Renderer } from './renderer.ts';

/** A line a step's process wrote is shown as it is; a step's own warnings and errors say so. */
function logLine(e: Extract<RunEvent, { type: 'step.log' }>): string {
  if (e.stream) return e.message === '' ? `[${e.step}]` : `[${e.step}] ${e.message}`;
  return `[${e.step}] ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
}

export function formatLine(e: RunEvent, verbose = false): string | undefined {
  switch (e.type) {
    case 'execution.started': return `execution ${e.executionId} started: ${e.workflow} (${e.steps.length} steps)`;
    case 'step.started': return `[${e.step}] started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'step.log': return e.level === 'debug' && !verbose ? undefined : logLine(e);
    case 'step.artifact': return `[${e.step}] artifact ${e.name}: ${e.path}${e.sha256 ? ` sha256=${e.sha256}` : ''}`;
    case 'step.retrying': return `[${e.step}] attempt ${e.attempt} failed: ${e.reason}; retrying in ${formatDuration(e.delayMs)}`;
    case 'step.finished': return `[${e.step}] ${e.status}${e.conclusion !== e.status ? ` (continued: ${e.conclusion})` : ''} in ${formatDuration(e.durationMs)}${e.attempts > 1 ? ` after ${e.attempts} attempts` : ''}${e.error ? `: ${e.error}` : ''}`;
    case 'step.skipped': return `[${e.step}] ${e.status}: ${e.reason}`;
    case 'step.kept': return `[${e.step}] kept from the earlier run`;
    case 'step.waiting': return `[${e.step}] waiting for approval${e.approval.deadline ? ` until ${e.approval.deadline}` : ''}: pluginops approve ${e.executionId}`;
    case 'execution.finished': return `execution ${e.executionId} ${e.status} in ${formatDuration(e.durationMs)}${e.error ? `: ${e.error}` : ''}`;
  }
}

/** Whether an event reports a failure (it goes to the error output). */
export function isFailure(e: RunEvent): boolean {
  switch (e.type) {
    case 'step.log': return e.level === 'error' && e.stream === undefined;
    case 'step.finished': return e.conclusion === 'failed' || e.conclusion === 'timed_out';
    case 'execution.finished': return e.status !== 'success' && e.status !== 'waiting';
    default: return false;
  }
}

export function linesRenderer(t: RenderTarget): Renderer {
  const failures = failureLog();
  return {
    emit(e) {
      failures.see(e);
      const line = formatLine(e, t.verbose);
      if (line !== undefined) (isFailure(e) ? t.err : t.out).write(line + '\n');
      if (e.type === 'execution.finished') for (const l of failures.summary()) t.err.write(l + '\n');
    },
    close: async () => undefined,
  };
}
