// How tasks are kept where others may read them (the journal on disk, the shared database): masked,
// with each secret in a task's data, or in a step task's environment and top-level inputs, sealed
// as the name of its variable, so the value a worker receives is rebuilt from the environment of
// the replica that answers its claim (replicas share one environment) and never stored.
import { maskDeep, type Mask } from '../engine/mask.ts';
import { sealParameters, unsealParameters } from '../runs/secret-params.ts';
import type { Protection } from '../tasks/journal.ts';
import type { Task } from '../tasks/model.ts';

type Sealed = NonNullable<ReturnType<typeof sealParameters>>;
/** `v: 2` tells it from the journal's first form, which sealed `data` only (the object itself). */
interface SealedTask { v: 2; data?: Sealed; env?: Sealed; inputs?: Sealed }

export function taskProtection(o: {
  secrets: () => ReadonlyArray<{ name: string; value: string }>;
  mask: () => Mask;
  env: Readonly<Record<string, string | undefined>>;
  warn: (line: string) => void;
}): Protection {
  return {
    protect(t) {
      const secrets = o.secrets(), mask = o.mask();
      const parts: SealedTask = { v: 2 };
      const data = sealParameters(t.data, secrets, mask);
      if (data) parts.data = data;
      if (t.work.kind === 'step') {
        const env = sealParameters(t.work.step.env, secrets, mask);
        const inputs = sealParameters(t.work.step.inputs, secrets, mask);
        if (env) parts.env = env;
        if (inputs) parts.inputs = inputs;
      }
      return { task: maskDeep(t, mask), ...(Object.keys(parts).length > 1 ? { sealed: parts } : {}) };
    },
    restore(t, sealed) {
      const s = sealed as SealedTask | Sealed;
      const parts: SealedTask = (s as SealedTask).v === 2 ? s as SealedTask : { v: 2, data: s as Sealed };
      try {
        const task: Task = { ...t, data: unsealParameters(t.data, parts.data, o.env) };
        if (task.work.kind === 'step' && (parts.env || parts.inputs)) {
          const step = task.work.step;
          task.work = {
            ...task.work,
            step: { ...step, env: unsealParameters(step.env, parts.env, o.env) as Record<string, string>, inputs: unsealParameters(step.inputs, parts.inputs, o.env) },
          };
        }
        return task;
      } catch (e) {
        o.warn(`task ${t.id}: ${(e as Error).message}; its values stay masked`);
        return t;
      }
    },
  };
}
