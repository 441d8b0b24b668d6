// Everything a command prints — its results, its renderers' lines and JSON, its error messages —
// goes through the project's mask (engine/mask.ts): a secret that reached a message by any
// path still prints as ***. A project that cannot be loaded leaves the outputs as they are (the
// command reports why it cannot load it).
import { projectMask } from '../engine/mask.ts';
import { loadProject } from '../project/load.ts';
import type { CliContext } from './context.ts';

export async function maskedContext(ctx: CliContext, configPath: unknown): Promise<CliContext> {
  let mask: (text: string) => string;
  try {
    mask = projectMask((await loadProject(ctx.cwd, typeof configPath === 'string' ? configPath : undefined)).config, ctx.env);
  } catch {
    return ctx;
  }
  return { ...ctx, stdout: { write: (t) => ctx.stdout.write(mask(t)) }, stderr: { write: (t) => ctx.stderr.write(mask(t)) } };
}
