// The live step tree for terminals, drawn by listr2: one task per step, running concurrently
// as the engine starts them, with durations, retries and the latest output line. A step the
// engine has not started yet is drawn waiting (no spinner); a skipped step is drawn neutral (↓),
// not as a warning. When the tree ends, the closing line and any failure summary follow it,
// failures on the error output.
import { Listr, ListrDefaultRendererLogLevels, ListrLogger, ListrTaskState, ProcessOutput, color, figures, type ListrTask } from 'listr2';
import { formatDuration } from '../engine/duration.ts';
import { dispatch, type EventHandlers, type EventOf, type RunEvent } from '../engine/events.ts';
import { failureLog } from './failures.ts';
import type { RenderTarget, Renderer } from './renderer.ts';

type StepEnd = EventOf<'step.finished'> | EventOf<'step.skipped'> | EventOf<'step.kept'> | EventOf<'step.waiting'> | { type: 'not-reached' };

/** The part of a listr2 task wrapper this renderer uses. */
interface TaskView { title: string; output: string; skip(message: string): void; task: { state$: ListrTaskState } }

interface Pending {
  started: boolean;
  finish: (e: StepEnd) => void;
  task?: TaskView;
}

export function treeRenderer(t: RenderTarget): Renderer {
  const steps = new Map<string, Pending>();
  const failures = failureLog();
  let running: Promise<unknown> = Promise.resolve();
  let finished: EventOf<'execution.finished'> | undefined;

  const begin = (e: EventOf<'execution.started'>) => {
    const tasks: ListrTask[] = e.steps.map((s) => {
      let finish!: Pending['finish'];
      const done = new Promise<StepEnd>((r) => { finish = r; });
      const pending: Pending = { started: false, finish };
      steps.set(s.id, pending);
      return {
        title: s.name,
        task: async (_ctx, task) => {
          pending.task = task;
          // listr2 starts every task of a concurrent list at once; until the engine starts the step it waits.
          if (!pending.started) task.task.state$ = ListrTaskState.WAITING;
          const end = await done;
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
      concurrent: true, exitOnError: false, forceTTY: true, registerSignalListeners: false,
      rendererOptions: {
        collapseErrors: false, collapseSkips: false, showErrorMessage: true,
        icon: { [ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE]: figures.arrowDown },
        color: { [ListrDefaultRendererLogLevels.SKIPPED_WITHOUT_COLLAPSE]: color.dim },
        logger: new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(t.terminal ?? process.stdout, process.stderr) }),
      },
    });
    running = list.run().catch(() => undefined);
  };

  const showOutput = (e: EventOf<'step.log'>) => {
    const task = steps.get(e.step)?.task;
    if (!task || (e.level === 'debug' && !t.verbose) || e.message.trim() === '') return;
    task.output = e.stream === 'stderr' ? `${color.dim('stderr')} ${e.message}` : e.message;
  };

  const setOutput = (step: string, output: string) => { const task = steps.get(step)?.task; if (task) task.output = output; };
  const end = (e: StepEnd & { step: string }) => { steps.get(e.step)?.finish(e); };

  const handlers = {
    'execution.started': begin,
    'step.started': (e) => {
      const p = steps.get(e.step);
      if (!p) return;
      p.started = true;
      if (p.task) p.task.task.state$ = ListrTaskState.STARTED;
      if (p.task && e.attempt > 1) p.task.title = `${p.task.title.replace(/ \(attempt \d+\)$/, '')} (attempt ${e.attempt})`;
    },
    'step.log': showOutput,
    'step.artifact': (e) => setOutput(e.step, `artifact ${e.name}: ${e.path}`),
    'step.retrying': (e) => setOutput(e.step, `retrying in ${formatDuration(e.delayMs)}: ${e.reason}`),
    'step.finished': end,
    'step.skipped': end,
    'step.kept': end,
    'step.waiting': end,
    // Steps a waiting run has not reached yet would otherwise keep the tree open.
    'execution.finished': (e) => {
      finished = e;
      for (const p of steps.values()) p.finish({ type: 'not-reached' });
    },
  } satisfies EventHandlers<void>;

  return {
    emit(e: RunEvent) {
      failures.see(e);
      dispatch(handlers, e);
    },
    async close() {
      await running;
      if (!finished) return;
      const ok = finished.status === 'success' || finished.status === 'waiting';
      const took = finished.status !== 'waiting' ? ` in ${formatDuration(finished.durationMs)}` : '';
      (ok ? t.out : t.err).write(`execution ${finished.executionId} ${finished.status}${took}${finished.error ? `: ${finished.error}` : ''}\n`);
      for (const l of failures.summary()) t.err.write(l + '\n');
    },
  };
}
