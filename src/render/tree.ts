// The live step tree for terminals, drawn by listr2: one task per step, running concurrently
// as the engine starts them, with durations, retries and the latest output line.
import { Listr, type ListrTask } from 'listr2';
import { formatDuration } from '../engine/duration.ts';
import type { EventOf, RunEvent } from '../engine/events.ts';
import type { Renderer } from './renderer.ts';

type StepEnd = EventOf<'step.finished'> | EventOf<'step.skipped'> | EventOf<'step.kept'> | EventOf<'step.waiting'> | { type: 'not-reached' };

/** The part of a listr2 task wrapper this renderer uses. */
interface TaskView { title: string; output: string; skip(message: string): void }

interface Pending {
  started: Promise<void>;
  start: () => void;
  finish: (e: StepEnd) => void;
  task?: TaskView;
}

export function treeRenderer(): Renderer {
  const steps = new Map<string, Pending>();
  let running: Promise<unknown> = Promise.resolve();

  const begin = (e: EventOf<'execution.started'>) => {
    const tasks: ListrTask[] = e.steps.map((s) => {
      let start!: () => void, finish!: Pending['finish'];
      const started = new Promise<void>((r) => { start = r; });
      const done = new Promise<StepEnd>((r) => { finish = r; });
      const pending: Pending = { started, start, finish };
      steps.set(s.id, pending);
      return {
        title: s.name,
        task: async (_ctx, task) => {
          pending.task = task;
          const end = await Promise.race([done, started.then(() => done)]);
          if (end.type === 'step.skipped') return task.skip(`${s.name}: ${end.reason}`);
          if (end.type === 'step.kept') { task.title = `${s.name} (kept from the earlier run)`; return; }
          if (end.type === 'step.waiting') return task.skip(`${s.name}: waiting for approval`);
          if (end.type === 'not-reached') return task.skip(`${s.name}: not reached`);
          const note = `${formatDuration(end.durationMs)}${end.attempts > 1 ? `, ${end.attempts} attempts` : ''}`;
          task.title = `${s.name} (${note})`;
          if (end.status !== 'success' && end.conclusion !== 'success') throw new Error(`${s.name}: ${end.error ?? end.status}`);
        },
      };
    });
    const list = new Listr(tasks, {
      concurrent: true, exitOnError: false,
      rendererOptions: { collapseErrors: false, collapseSkips: false, showErrorMessage: true },
    });
    running = list.run().catch(() => undefined);
  };

  return {
    emit(e: RunEvent) {
      switch (e.type) {
        case 'execution.started': return begin(e);
        case 'step.started': {
          const p = steps.get(e.step);
          p?.start();
          if (p?.task && e.attempt > 1) p.task.title = `${p.task.title.replace(/ \(attempt \d+\)$/, '')} (attempt ${e.attempt})`;
          return;
        }
        case 'step.log': { const t = steps.get(e.step)?.task; if (t) t.output = e.message; return; }
        case 'step.artifact': { const t = steps.get(e.step)?.task; if (t) t.output = `artifact ${e.name}: ${e.path}`; return; }
        case 'step.retrying': { const t = steps.get(e.step)?.task; if (t) t.output = `retrying in ${formatDuration(e.delayMs)}: ${e.reason}`; return; }
        case 'step.finished':
        case 'step.skipped':
        case 'step.kept':
        case 'step.waiting': steps.get(e.step)?.finish(e); return;
        // Steps a waiting run has not reached yet would otherwise keep the tree open.
        case 'execution.finished': for (const p of steps.values()) p.finish({ type: 'not-reached' }); return;
      }
    },
    close: async () => { await running; },
  };
}
