// What a failed run tells a person at its end: each failed step, its error, the tail of its
// output (the traceback is usually there) and the command that prints the whole log. Lines are
// the events' messages, so they are masked like every other output.
import { dispatch, ignore, type EventHandlers, type RunEvent } from '../engine/events.ts';

/** Lines of a failed step's output shown in the summary. */
export const tailLength = 20;
const lineWidth = 500;

interface Failure { step: string; status: string; error?: string; tail: string[] }

export interface FailureLog {
  see(e: RunEvent): void;
  /** The summary of the failed steps seen so far, as lines (empty when none failed). */
  summary(): string[];
}

export function failureLog(): FailureLog {
  const tails = new Map<string, string[]>();
  const failures: Failure[] = [];
  let executionId = '';
  const handlers = {
    'execution.started': (e) => { executionId = e.executionId; },
    'step.started': (e) => { tails.set(e.step, []); },
    'step.log': (e) => {
      if (e.level === 'debug') return;
      const tail = tails.get(e.step) ?? [];
      tail.push(e.message.length > lineWidth ? `${e.message.slice(0, lineWidth - 1)}…` : e.message);
      if (tail.length > tailLength) tail.shift();
      tails.set(e.step, tail);
    },
    'step.finished': (e) => {
      executionId ||= e.executionId;
      if (e.conclusion === 'failed' || e.conclusion === 'timed_out') {
        failures.push({ step: e.step, status: e.status, ...(e.error ? { error: e.error } : {}), tail: tails.get(e.step) ?? [] });
      }
    },
    'step.artifact': ignore,
    'step.retrying': ignore,
    'step.skipped': ignore,
    'step.kept': ignore,
    'step.waiting': ignore,
    'execution.finished': ignore,
  } satisfies EventHandlers<void>;
  return {
    see(e) { dispatch(handlers, e); },
    summary() {
      return failures.flatMap((f) => {
        const tail = trimBlank(f.tail);
        return [
          `${f.status === 'timed_out' ? 'timed out' : 'failed'}: ${f.step}${f.error ? `: ${f.error}` : ''}`,
          ...(tail.length ? [`  last ${tail.length} line${tail.length === 1 ? '' : 's'} of its output:`, ...tail.map((l) => `    ${l}`.trimEnd())] : []),
          `  full log: pluginops executions logs ${executionId} --step ${f.step}`,
        ];
      });
    },
  };
}

function trimBlank(lines: string[]): string[] {
  let start = 0, end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}
