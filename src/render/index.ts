// The renderer registry: every name maps to a factory, checked by the compiler.
import { jsonRenderer, quietRenderer } from './json.ts';
import { linesRenderer } from './lines.ts';
import type { RenderTarget, Renderer, RendererName } from './renderer.ts';
import { treeRenderer } from './tree.ts';

export const renderers = {
  tree: (t) => treeRenderer(t),
  lines: (t) => linesRenderer(t),
  json: (t) => jsonRenderer(t.out),
  quiet: (_t) => quietRenderer(),
} satisfies Record<RendererName, (t: RenderTarget) => Renderer>;

export { defaultRenderer, isVerbose, type Renderer, type RendererName, type RenderTarget, type Output } from './renderer.ts';
