// One line per event, easy to grep in CI logs: `[step] what happened`.
import { formatDuration } from '../engine/duration.ts';
import type { RunEvent } from '../engine/events.ts';
import type { Output, Renderer } from './renderer.ts';

export function formatLine(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'execution.started': return `execution ${e.executionId} started: ${e.workflow} (${e.steps.length} steps)`;
    case 'step.started': return `[${e.step}] started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'step.log': return `[${e.step}] ${e.level === 'info' ? '' : `${e.level}: `}${e.message}`;
    case 'step.artifact': return `[${e.step}] artifact ${e.name}: ${e.path}${e.sha256 ? ` sha256=${e.sha256}` : ''}`;
    case 'step.retrying': return `[${e.step}] attempt ${e.attempt} failed: ${e.reason}; retrying in ${formatDuration(e.delayMs)}`;
    case 'step.finished': return `[${e.step}] ${e.status}${e.conclusion !== e.status ? ` (continued: ${e.conclusion})` : ''} in ${formatDuration(e.durationMs)}${e.attempts > 1 ? ` after ${e.attempts} attempts` : ''}${e.error ? `: ${e.error}` : ''}`;
    case 'step.skipped': return `[${e.step}] ${e.status}: ${e.reason}`;
    case 'step.kept': return `[${e.step}] kept from the earlier run`;
    case 'step.waiting': return `[${e.step}] waiting for approval${e.approval.deadline ? ` until ${e.approval.deadline}` : ''}: pluginops approve ${e.executionId}`;
    case 'execution.finished': return `execution ${e.executionId} ${e.status} in ${formatDuration(e.durationMs)}${e.error ? `: ${e.error}` : ''}`;
  }
}

export function linesRenderer(out: Output): Renderer {
  return {
    emit(e) { const line = formatLine(e); if (line !== undefined) out.write(line + '\n'); },
    close: async () => undefined,
  };
}
