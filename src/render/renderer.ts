// Renderers: adapters from run events to an output. Chosen by name from a closed registry.
import type { Emit } from '../engine/events.ts';

export interface Renderer {
  emit: Emit;
  /** Waits until everything has been written. */
  close(): Promise<void>;
}

export interface Output {
  write(text: string): void;
}

/** Where a renderer writes: progress to `out`, errors and the failure summary to `err`. */
export interface RenderTarget {
  out: Output;
  err: Output;
  /** Shows `debug` lines (`--verbose`, PLUGINOPS_DEBUG, RUNNER_DEBUG=1). */
  verbose: boolean;
  /** The terminal the live tree draws on (default: the process's stdout). */
  terminal?: NodeJS.WriteStream;
}

export type RendererName = 'tree' | 'lines' | 'json' | 'quiet';

/** A terminal gets the live tree; CI, pipes and TERM=dumb get one line per event. */
export function defaultRenderer(o: { isTTY: boolean; env: Record<string, string | undefined> }): RendererName {
  return o.isTTY && !o.env.CI && o.env.TERM !== 'dumb' ? 'tree' : 'lines';
}

/** Debug output is shown with `--verbose`, or when PLUGINOPS_DEBUG or RUNNER_DEBUG=1 is set. */
export function isVerbose(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return flag === true || Boolean(env.PLUGINOPS_DEBUG) || env.RUNNER_DEBUG === '1';
}
