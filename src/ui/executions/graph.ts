// An execution's step graph as SVG drawn on the server: steps in layered (topological) columns
// — a step stands one column right of the last step it waits for — with the plan's `needs`
// edges between them, each node coloured by its status AND labelled with its icon and word.
// Beyond a node budget the columns sum up the steps of their layers by status instead, and
// beyond a column budget consecutive layers share a column: the drawing stays bounded whatever
// the size of the run.
import type { ExecutionRecord, StepStatus } from '../../store/types.ts';
import { html, type Html } from '../html.ts';
import type { Locale } from '../i18n.ts';
import { statusTone, type Tone } from '../parts.ts';
import { executionText, statusName } from './text.ts';

/** Most steps drawn one by one; more are summed up per layer. */
export const nodeBudget = 120;
/** Most columns of the summary; more layers share columns. */
export const columnBudget = 40;

const icons: Record<Tone, string> = { ok: '✓', bad: '✕', warn: '!', info: '●', idle: '○' };
const nodeW = 176, nodeH = 44, gapX = 44, gapY = 12, pad = 8;

/**
 * The steps in layers: layer 0 waits for nothing (of this run), layer n waits for a step of
 * layer n - 1 at most. Needs that name no step are ignored; steps in a cycle (a plan never has
 * one) go in the last layer. Within a layer the record's order is kept. Linear in steps + edges.
 */
export function layersOf(stepIds: readonly string[], needs: Readonly<Record<string, readonly string[]>> = {}): string[][] {
  const known = new Set(stepIds);
  const waitsFor = new Map(stepIds.map((id) => [id, (Object.hasOwn(needs, id) ? needs[id]! : []).filter((n) => known.has(n) && n !== id)]));
  const dependents = new Map<string, string[]>(stepIds.map((id) => [id, []]));
  const missing = new Map<string, number>();
  for (const [id, ns] of waitsFor) {
    const unique = [...new Set(ns)];
    missing.set(id, unique.length);
    for (const n of unique) dependents.get(n)!.push(id);
  }
  const layer = new Map<string, number>();
  const queue = stepIds.filter((id) => missing.get(id) === 0);
  for (const id of queue) layer.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const d of dependents.get(id)!) {
      layer.set(d, Math.max(layer.get(d) ?? 0, layer.get(id)! + 1));
      const left = missing.get(d)! - 1;
      missing.set(d, left);
      if (left === 0) queue.push(d);
    }
  }
  let deepest = -1;
  for (const l of layer.values()) deepest = Math.max(deepest, l);
  const out: string[][] = [];
  for (const id of stepIds) {
    const at = layer.has(id) && missing.get(id) === 0 ? layer.get(id)! : deepest + 1;
    (out[at] ??= []).push(id);
  }
  return out.filter((l) => l !== undefined);
}

/** The steps in the graph's order: layer by layer. */
export const orderedSteps = (record: Pick<ExecutionRecord, 'steps' | 'needs'>): string[] => layersOf(Object.keys(record.steps), record.needs).flat();

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The SVG of `record`'s steps (or of their per-layer summary beyond `nodeBudget`). */
export function stepGraph(locale: Locale, record: Pick<ExecutionRecord, 'id' | 'steps' | 'needs'>): Html {
  const t = executionText(locale);
  const layers = layersOf(Object.keys(record.steps), record.needs);
  const total = layers.reduce((n, l) => n + l.length, 0);
  const summary = total > nodeBudget;
  const body = summary ? summaryGraph(locale, record, layers) : fullGraph(locale, record, layers);
  const titleId = `graph-title-${record.id}`;
  return html`${summary && html`<p class="note graph-note">${t('graphSummary', { budget: nodeBudget })}</p>`}
  <div class="graph-wrap" tabindex="0" role="group" aria-label="${t('graph')}">
    <svg class="step-graph" width="${body.width}" height="${body.height}" viewBox="0 0 ${body.width} ${body.height}" role="img" aria-labelledby="${titleId}">
      <title id="${titleId}">${t('graphLabel', { id: record.id })}</title>
      <defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="arrow-head"/></marker></defs>
      ${body.content}
    </svg>
  </div>`;
}

interface Drawing { width: number; height: number; content: Html }

function node(x: number, y: number, h: number, tone: Tone, lines: readonly string[], title: string): Html {
  return html`<g class="node ${tone}" transform="translate(${x},${y})"><title>${title}</title>
    <rect width="${nodeW}" height="${h}" rx="6"/>
    ${lines.map((l, i) => html`<text x="8" y="${17 + i * 16}"${i === 0 ? html` class="name"` : ''}>${l}</text>`)}
  </g>`;
}

function fullGraph(locale: Locale, record: Pick<ExecutionRecord, 'steps' | 'needs'>, layers: readonly string[][]): Drawing {
  const at = new Map<string, { x: number; y: number }>();
  layers.forEach((ids, col) => ids.forEach((id, row) => at.set(id, { x: pad + col * (nodeW + gapX), y: pad + row * (nodeH + gapY) })));
  const edges: Html[] = [];
  for (const [id, ns] of Object.entries(record.needs ?? {})) {
    const to = at.get(id);
    if (!to) continue;
    for (const n of new Set(ns)) {
      const from = at.get(n);
      if (!from || n === id) continue;
      const x1 = from.x + nodeW, y1 = from.y + nodeH / 2, x2 = to.x, y2 = to.y + nodeH / 2, mid = (x1 + x2) / 2;
      edges.push(html`<path class="edge" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2 - 1},${y2}" marker-end="url(#arrow)"/>`);
    }
  }
  const nodes = [...at].map(([id, p]) => {
    const status: StepStatus = record.steps[id]!.status;
    const tone = statusTone(status);
    return node(p.x, p.y, nodeH, tone, [clip(id, 24), `${icons[tone]} ${statusName(locale, status)}`], `${id}: ${statusName(locale, status)}`);
  });
  const rows = Math.max(1, ...layers.map((l) => l.length));
  return {
    width: pad * 2 + layers.length * nodeW + Math.max(0, layers.length - 1) * gapX,
    height: pad * 2 + rows * nodeH + (rows - 1) * gapY,
    content: html`<g class="edges">${edges}</g><g class="nodes">${nodes}</g>`,
  };
}

function summaryGraph(locale: Locale, record: Pick<ExecutionRecord, 'steps'>, layers: readonly string[][]): Drawing {
  const t = executionText(locale);
  const per = Math.ceil(layers.length / columnBudget);
  const columns: Array<{ from: number; to: number; ids: string[] }> = [];
  for (let i = 0; i < layers.length; i += per) columns.push({ from: i + 1, to: Math.min(layers.length, i + per), ids: layers.slice(i, i + per).flat() });
  let height = 0;
  const boxes = columns.map((c, col) => {
    const counts = new Map<StepStatus, number>();
    for (const id of c.ids) { const s = record.steps[id]!.status; counts.set(s, (counts.get(s) ?? 0) + 1); }
    const worst = (['failed', 'timed_out', 'interrupted', 'running', 'waiting', 'cancelled', 'pending', 'skipped', 'success'] as const).find((s) => counts.has(s)) ?? 'pending';
    const head = c.from === c.to ? t('layer', { n: c.from }) : t('layers', { from: c.from, to: c.to });
    const lines = [head, t('stepsCount', { count: c.ids.length }), ...[...counts].map(([s, n]) => `${icons[statusTone(s)]} ${n} ${statusName(locale, s)}`)];
    const h = 10 + lines.length * 16;
    height = Math.max(height, h);
    return { x: pad + col * (nodeW + gapX), h, tone: statusTone(worst), lines };
  });
  const mid = pad + nodeH / 2;
  const edges = boxes.slice(1).map((b, i) => html`<path class="edge" d="M${boxes[i]!.x + nodeW},${mid} L${b.x - 1},${mid}" marker-end="url(#arrow)"/>`);
  return {
    width: pad * 2 + boxes.length * nodeW + Math.max(0, boxes.length - 1) * gapX,
    height: pad * 2 + height,
    content: html`<g class="edges">${edges}</g><g class="nodes">${boxes.map((b) => node(b.x, pad, b.h, b.tone, b.lines, b.lines.join(', ')))}</g>`,
  };
}
