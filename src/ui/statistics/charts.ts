// SVG charts drawn on the server for the statistics page: stacked bars per day, lines per day,
// and stacked horizontal bars per workflow. Each chart has axes with a few labelled ticks, a
// `<title>` on every bar and point (the browser's tooltip), a name for screen readers, and is
// meant to stand beside a table of the same numbers. Series differ by more than colour: bar
// segments carry a fill pattern per tone (solid, hatched, dotted), lines a dash style and a
// marker shape.
import { html, type Html } from '../html.ts';
import type { Tone } from '../parts.ts';

const W = 640;
const H = 200;
const left = 56;
const right = 12;
const top = 10;
const bottom = 24;
const plotW = W - left - right;
const plotH = H - top - bottom;

const round = (n: number): string => String(Math.round(n * 10) / 10);

/** A segment of a stacked bar: how many, in what tone, and its tooltip. */
export interface Segment { tone: Tone; value: number; title: string }
export interface Point { value: number | undefined; title: string }
export interface Line { name: string; style: 'solid' | 'dashed'; marker: 'circle' | 'square'; points: readonly Point[] }

export interface Axis {
  /** The largest value the axis shows (values above are clipped). */
  max: number;
  format(value: number): string;
}

/** A round number at or above `n` (1, 2 or 5 times a power of ten) so ticks read well. */
export function niceMax(n: number): number {
  if (!(n > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].map((m) => m * p).find((m) => m >= n) ?? 10 * p);
}

/** Fill patterns for the tones, one set per chart (`id` keeps them apart on the page). */
function patterns(id: string): Html {
  return html`<defs>
    <pattern id="${id}-bad" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="tone-bad" width="6" height="6"></rect><line x1="0" y1="0" x2="0" y2="6" class="hatch"></line></pattern>
    <pattern id="${id}-warn" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="tone-warn" width="5" height="5"></rect><circle cx="2.5" cy="2.5" r="1.1" class="dot"></circle></pattern>
  </defs>`;
}

/**
 * The class (and fill) of a shape in `tone`: solid for ok, info and idle, a pattern for bad
 * (hatched) and warn (dotted). The pattern goes in `style`, since the stylesheet's fill would
 * win over a `fill` attribute.
 */
export const toneAttrs = (id: string, tone: Tone, className = ''): Html =>
  tone === 'bad' || tone === 'warn'
    ? html`class="${className}" style="fill: url(#${id}-${tone})"`
    : html`class="${`${className} tone-${tone}`.trim()}"`;

function frame(id: string, label: string, y: Axis, xLabels: ReadonlyArray<readonly [number, string]>, body: Html): Html {
  const ticks = [0, 0.5, 1].map((f) => ({ y: top + plotH - f * plotH, text: y.format(f * y.max) }));
  return html`<svg class="chart" id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${label}" preserveAspectRatio="xMidYMid meet">
    ${patterns(id)}
    <g class="grid">${ticks.map((t) => html`<line x1="${left}" x2="${W - right}" y1="${round(t.y)}" y2="${round(t.y)}"></line>`)}</g>
    <g class="axis y">${ticks.map((t) => html`<text x="${left - 6}" y="${round(t.y + 4)}" text-anchor="end">${t.text}</text>`)}</g>
    <g class="axis x">${xLabels.map(([x, text]) => html`<text x="${round(x)}" y="${H - 6}" text-anchor="middle">${text}</text>`)}</g>
    <line class="axis-line" x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}"></line>
    ${body}
  </svg>`;
}

/** The centre of slot `i` of `n` along the x axis. */
const slotX = (i: number, n: number): number => left + (i + 0.5) * (plotW / n);

/** Labels for the first, middle and last slot (fewer when there are fewer slots). */
function slotLabels(labels: readonly string[]): Array<readonly [number, string]> {
  const n = labels.length;
  const at = [...new Set([0, Math.floor((n - 1) / 2), n - 1])].filter((i) => i >= 0 && i < n);
  return at.map((i) => [slotX(i, n), labels[i]!] as const);
}

const yOf = (value: number, axis: Axis): number => top + plotH - (Math.min(value, axis.max) / axis.max) * plotH;

/** One stacked bar per slot (a day), one `<rect class="seg">` per segment with a value. */
export function stackedBars(o: { id: string; label: string; slots: readonly string[]; bars: ReadonlyArray<readonly Segment[]>; axis: Axis }): Html {
  const n = o.slots.length;
  const width = Math.max(1, (plotW / Math.max(1, n)) * 0.7);
  const rects = o.bars.map((segments, i) => {
    let base = 0;
    return segments.filter((s) => s.value > 0).map((s) => {
      const y0 = yOf(base, o.axis);
      base += s.value;
      const y1 = yOf(base, o.axis);
      return html`<rect ${toneAttrs(o.id, s.tone, 'seg')} data-tone="${s.tone}" x="${round(slotX(i, n) - width / 2)}" y="${round(y1)}" width="${round(width)}" height="${round(Math.max(0.5, y0 - y1))}"><title>${s.title}</title></rect>`;
    });
  });
  return frame(o.id, o.label, o.axis, slotLabels(o.slots), html`<g class="bars">${rects}</g>`);
}

/** Lines over the slots: a polyline through each run of defined points, a marker with a tooltip on each. */
export function lineChart(o: { id: string; label: string; slots: readonly string[]; lines: readonly Line[]; axis: Axis }): Html {
  const n = o.slots.length;
  const drawn = o.lines.map((line, k) => {
    const xy = line.points.map((p, i) => (p.value === undefined ? undefined : { x: slotX(i, n), y: yOf(p.value, o.axis), title: p.title }));
    const runs: Array<Array<{ x: number; y: number }>> = [[]];
    for (const p of xy) {
      if (p) runs.at(-1)!.push(p);
      else if (runs.at(-1)!.length) runs.push([]);
    }
    const markers = xy.flatMap((p) => (p ? [p] : [])).map((p) => (line.marker === 'circle'
      ? html`<circle class="point" cx="${round(p.x)}" cy="${round(p.y)}" r="3.5"><title>${p.title}</title></circle>`
      : html`<rect class="point" x="${round(p.x - 3.5)}" y="${round(p.y - 3.5)}" width="7" height="7"><title>${p.title}</title></rect>`));
    return html`<g class="series s${k} ${line.style}" data-series="${line.name}">
      ${runs.filter((r) => r.length > 1).map((r) => html`<polyline points="${r.map((p) => `${round(p.x)},${round(p.y)}`).join(' ')}"></polyline>`)}
      ${markers}
    </g>`;
  });
  return frame(o.id, o.label, o.axis, slotLabels(o.slots), html`${drawn}`);
}

/** One horizontal stacked bar per row (a workflow), scaled to the largest row's total. */
export function rowBars(o: { id: string; label: string; rows: ReadonlyArray<{ name: string; segments: readonly Segment[] }>; format(value: number): string }): Html {
  const rowH = 26;
  const nameW = 150;
  const height = top + o.rows.length * rowH + bottom;
  const barW = W - nameW - right - 40;
  const max = niceMax(Math.max(1, ...o.rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0))));
  const short = (name: string) => (name.length > 22 ? `${name.slice(0, 21)}…` : name);
  const rows = o.rows.map((r, i) => {
    const y = top + i * rowH;
    let base = 0;
    const total = r.segments.reduce((a, s) => a + s.value, 0);
    return html`<g class="row">
      <text x="${nameW - 8}" y="${y + rowH / 2 + 4}" text-anchor="end"><title>${r.name}</title>${short(r.name)}</text>
      ${r.segments.filter((s) => s.value > 0).map((s) => {
        const x = nameW + (base / max) * barW;
        base += s.value;
        return html`<rect ${toneAttrs(o.id, s.tone, 'seg')} data-tone="${s.tone}" x="${round(x)}" y="${y + 4}" width="${round(Math.max(0.5, (s.value / max) * barW))}" height="${rowH - 8}"><title>${s.title}</title></rect>`;
      })}
      <text x="${round(nameW + (total / max) * barW + 6)}" y="${y + rowH / 2 + 4}">${o.format(total)}</text>
    </g>`;
  });
  return html`<svg class="chart" id="${o.id}" viewBox="0 0 ${W} ${height}" role="img" aria-label="${o.label}">
    ${patterns(o.id)}
    <line class="axis-line" x1="${nameW}" x2="${nameW}" y1="${top}" y2="${height - bottom}"></line>
    ${rows}
    <g class="axis x">${[0, 0.5, 1].map((f) => html`<text x="${round(nameW + f * barW)}" y="${height - 6}" text-anchor="middle">${o.format(f * max)}</text>`)}</g>
  </svg>`;
}
