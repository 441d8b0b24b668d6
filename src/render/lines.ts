// One line per event, easy to grep in CI logs: `[step] what happened`. Progress goes to `out`;
// failures, error lines and the closing failure summary go to `err`.
import { formatDuration } from '../engine/duration.ts';
import { dispatch, type EventHandlers, type RunEvent } from '../engine/events.ts';
import { failureLog } from './failures.ts';
import type { RenderTarget, Renderer } from './renderer.ts';

/** A line a step's process wrote is shown as it is; a step's own warnings and errors say so. */
function logLine(e: Extract<RunEvent, { type: 'step.log' }>): string {
  if (e.stream) return e.message === '' ? `[${e.step}]` : `[${e.step}] ${e.message}`;
  return `[${e.step}] ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
}

/** Each kind's line (`verbose` shows debug lines); undefined when the event is not shown. */
const lineFormats = {
  'execution.started': (e) => `execution ${e.executionId} started: ${e.workflow} (${e.steps.length} steps)`,
  'step.started': (e) => `[${e.step}] started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`,
  'step.log': (e, verbose) => e.level === 'debug' && !verbose ? undefined : logLine(e),
  'step.artifact': (e) => `[${e.step}] artifact ${e.name}: ${e.path}${e.sha256 ? ` sha256=${e.sha256}` : ''}`,
  'step.retrying': (e) => `[${e.step}] attempt ${e.attempt} failed: ${e.reason}; retrying in ${formatDuration(e.delayMs)}`,
  'step.finished': (e) => `[${e.step}] ${e.status}${e.conclusion !== e.status ? ` (continued: ${e.conclusion})` : ''} in ${formatDuration(e.durationMs)}${e.attempts > 1 ? ` after ${e.attempts} attempts` : ''}${e.error ? `: ${e.error}` : ''}`,
  'step.skipped': (e) => `[${e.step}] ${e.status}: ${e.reason}`,
  'step.kept': (e) => `[${e.step}] kept from the earlier run`,
  'step.waiting': (e) => `[${e.step}] waiting for approval${e.approval.deadline ? ` until ${e.approval.deadline}` : ''}: pluginops approve ${e.executionId}`,
  'execution.finished': (e) => `execution ${e.executionId} ${e.status} in ${formatDuration(e.durationMs)}${e.error ? `: ${e.error}` : ''}`,
} satisfies EventHandlers<string | undefined, [verbose: boolean]>;

export function formatLine(e: RunEvent, verbose = false): string | undefined {
  return dispatch(lineFormats, e, verbose);
}

const notFailure = () => false;

/** Which events report a failure (they go to the error output). */
const failureKinds = {
  'execution.started': notFailure,
  'step.started': notFailure,
  'step.log': (e) => e.level === 'error' && e.stream === undefined,
  'step.artifact': notFailure,
  'step.retrying': notFailure,
  'step.finished': (e) => e.conclusion === 'failed' || e.conclusion === 'timed_out',
  'step.skipped': notFailure,
  'step.kept': notFailure,
  'step.waiting': notFailure,
  'execution.finished': (e) => e.status !== 'success' && e.status !== 'waiting',
} satisfies EventHandlers<boolean>;

/** Whether an event reports a failure (it goes to the error output). */
export function isFailure(e: RunEvent): boolean {
  return dispatch(failureKinds, e);
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
