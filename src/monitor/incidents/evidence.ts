// What an incident carries to show why it is one, so whoever acts on it — a person paged, an
// approver in Slack — sees the facts without opening another tool: the log lines a Loki query
// matched, the query and values Prometheus answered, a log attached by hand. Pure and capped: an
// incident's evidence has a bounded size whatever its source produced, and says when it was cut.
// Masking is the edge's work (values are masked before they reach the model).

export interface EvidenceLine {
  text: string;
  /** When the line was logged, ms since the epoch, when the source says. */
  at?: number;
  labels?: Record<string, string>;
}

export interface EvidenceSample {
  labels: Record<string, string>;
  value: number;
  at?: number;
}

export interface Evidence {
  /** What produced it: a Loki or Prometheus query, a check's own result, or a person (`manual`). */
  source: 'loki' | 'prometheus' | 'check' | 'manual';
  /** When it was taken, ms since the epoch. */
  at: number;
  /** The query that found it (LogQL, PromQL). */
  query?: string;
  /** Who attached it, for `manual`. */
  by?: string;
  lines?: EvidenceLine[];
  samples?: EvidenceSample[];
  /** Lines, samples or bytes were dropped to stay within the caps. */
  truncated?: boolean;
}

export const evidenceCaps = {
  /** Pieces of evidence kept per incident: the newest. */
  entries: 5,
  lines: 50,
  samples: 50,
  /** Longest line kept, in characters; a longer one is cut. */
  lineChars: 2_000,
  /** All lines of one piece together, in characters. */
  totalChars: 32_000,
  queryChars: 2_000,
} as const;

/** The evidence within the caps, marked `truncated` when anything was dropped or cut. */
export function capEvidence(e: Evidence): Evidence {
  let truncated = e.truncated ?? false;
  const cut = (text: string, max: number): string => {
    if (text.length <= max) return text;
    truncated = true;
    return `${text.slice(0, max)}…`;
  };
  const out: Evidence = { source: e.source, at: e.at };
  if (e.query !== undefined) out.query = cut(e.query, evidenceCaps.queryChars);
  if (e.by !== undefined) out.by = e.by;
  if (e.lines) {
    // The newest lines matter most: keep the last ones.
    if (e.lines.length > evidenceCaps.lines) truncated = true;
    const lines: EvidenceLine[] = [];
    let total = 0;
    for (const l of e.lines.slice(-evidenceCaps.lines).reverse()) {
      const text = cut(l.text, evidenceCaps.lineChars);
      if (total + text.length > evidenceCaps.totalChars) { truncated = true; break; }
      total += text.length;
      lines.unshift({ ...l, text });
    }
    out.lines = lines;
  }
  if (e.samples) {
    if (e.samples.length > evidenceCaps.samples) truncated = true;
    out.samples = e.samples.slice(0, evidenceCaps.samples);
  }
  if (truncated) out.truncated = true;
  return out;
}

/** An incident's evidence with one more piece: capped, the newest kept. */
export const withEvidence = (kept: readonly Evidence[] | undefined, e: Evidence): Evidence[] =>
  [...(kept ?? []), capEvidence(e)].slice(-evidenceCaps.entries);
