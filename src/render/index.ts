// The renderer registry: every name maps to a factory, checked by the compiler.
import { jsonRenderer, quietRenderer } from './json.ts';
import { linesRenderer } from './lines.ts';
import type { Output, Renderer, RendererName } from './renderer.ts';
import { treeRenderer } from './tree.ts';

export const renderers = {
  tree: (_out) => treeRenderer(),
  lines: (out) => linesRenderer(out),
  json: (out) => jsonRenderer(out),
  quiet: (_out) => quietRenderer(),
} satisfies Record<RendererName, (out: Output) => Renderer>;

export { defaultRenderer, type Renderer, type RendererName, type Output } from './renderer.ts';
