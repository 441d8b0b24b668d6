// Evidence as each source gathers it: the lines a Loki query matched, the series a Prometheus
// query answered, what a failed check saw. Pure builders over what the probes and rule reads
// already hold, each within the caps (evidence.ts); and the one masker for evidence, applied at the
// edge before anything reaches an incident, the check history or the store.
import type { CheckResult } from '../checks/result.ts';
import { capEvidence, type Evidence, type EvidenceSample } from './evidence.ts';

/** A matched log line as the Loki client reads it. */
export interface MatchedLine { text: string; at: number; labels: Record<string, string> }

/**
 * The newest matched lines (given newest first, shown oldest first) and the LogQL query. `total`
 * is how many lines matched: more than were kept, or a count that is itself a lower bound, says
 * truncated.
 */
export function lokiEvidence(query: string, newest: readonly MatchedLine[], total: number, at: number, countTruncated = false): Evidence {
  const lines = [...newest].reverse().map((l) => ({ text: l.text, at: l.at, ...(Object.keys(l.labels).length ? { labels: { ...l.labels } } : {}) }));
  return capEvidence({ source: 'loki', at, query, lines, ...(countTruncated || total > newest.length ? { truncated: true } : {}) });
}

/**
 * The PromQL query and each series' labels and value; `first` (an alert's own labels) puts that
 * series ahead of the others. A value JSON cannot carry (NaN, ±Inf) is left out.
 */
export function prometheusEvidence(query: string, series: ReadonlyArray<{ labels: Record<string, string>; value: number; at?: number }>, at: number, first?: Record<string, string>): Evidence {
  const same = (labels: Record<string, string>) => first !== undefined && sameLabels(labels, first);
  const ordered = [...series.filter((s) => same(s.labels)), ...series.filter((s) => !same(s.labels))];
  const samples: EvidenceSample[] = ordered.filter((s) => Number.isFinite(s.value))
    .map((s) => ({ labels: { ...s.labels }, value: s.value, ...(s.at !== undefined ? { at: s.at } : {}) }));
  return capEvidence({ source: 'prometheus', at, query, samples });
}

/** The evidence with the series labelled `labels` first (an alert's own series, among the answer's). */
export function ownSeriesFirst(e: Evidence, labels: Record<string, string>): Evidence {
  if (!e.samples) return e;
  const own = e.samples.filter((s) => sameLabels(s.labels, labels));
  return own.length ? { ...e, samples: [...own, ...e.samples.filter((s) => !sameLabels(s.labels, labels))] } : e;
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** Fields worth a line when a check fails: what it measured, in a word. */
const shownFields = ['status', 'exitCode', 'connected', 'healthy', 'certificateDaysLeft', 'responseTime', 'value', 'count'];

/** What a failed check saw: its error, the conditions that did not hold, the fields measured. */
export function checkEvidence(result: CheckResult): Evidence {
  const measured = shownFields.filter((f) => result.fields[f] !== undefined && result.fields[f] !== null)
    .map((f) => `${f}: ${JSON.stringify(result.fields[f])}`);
  const lines = [
    ...(result.error !== undefined ? [result.error] : []),
    ...result.conditions.filter((c) => !c.ok).map((c) => `failed: ${c.expression}${c.error ? ` (${c.error})` : ''}`),
    ...(measured.length ? [measured.join(', ')] : []),
  ].map((text) => ({ text, at: result.at }));
  return capEvidence({ source: 'check', at: result.at, lines });
}

/** Every text of the evidence (lines, labels, the query, who attached it) through `mask`. */
export function maskEvidence(e: Evidence, mask: (text: string) => string): Evidence {
  const labels = (l: Record<string, string>) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, mask(v)]));
  return {
    ...e,
    ...(e.query !== undefined ? { query: mask(e.query) } : {}),
    ...(e.by !== undefined ? { by: mask(e.by) } : {}),
    ...(e.lines ? { lines: e.lines.map((l) => ({ ...l, text: mask(l.text), ...(l.labels ? { labels: labels(l.labels) } : {}) })) } : {}),
    ...(e.samples ? { samples: e.samples.map((s) => ({ ...s, labels: labels(s.labels) })) } : {}),
  };
}
