// The typed event stream as JSON lines, for machines.
import type { Output, Renderer } from './renderer.ts';

export function jsonRenderer(out: Output): Renderer {
  return { emit: (e) => out.write(JSON.stringify(e) + '\n'), close: async () => undefined };
}

export function quietRenderer(): Renderer {
  return { emit: () => undefined, close: async () => undefined };
}
