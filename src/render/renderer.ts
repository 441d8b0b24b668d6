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

export type RendererName = 'tree' | 'lines' | 'json' | 'quiet';

/** A terminal gets the live tree; CI, pipes and TERM=dumb get one line per event. */
export function defaultRenderer(o: { isTTY: boolean; env: Record<string, string | undefined> }): RendererName {
  return o.isTTY && !o.env.CI && o.env.TERM !== 'dumb' ? 'tree' : 'lines';
}
