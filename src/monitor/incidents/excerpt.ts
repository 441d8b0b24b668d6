// What leaves the monitor about an incident's evidence: an excerpt for notifications (the newest
// pieces, fewer and shorter lines: a message is read at a glance, the API has the rest) and the
// brief a self-healing run keeps so its approvers see the incident. Pure.
import type { EvidenceExcerpt, IncidentBrief } from '../../store/incident-brief.ts';
import type { Evidence } from './evidence.ts';
import type { Incident } from './incident.ts';

export const excerptCaps = { entries: 2, lines: 10, lineChars: 500, samples: 10, queryChars: 500 } as const;

const cut = (text: string, max: number): { text: string; cut: boolean } =>
  (text.length <= max ? { text, cut: false } : { text: `${text.slice(0, max)}…`, cut: true });

function excerptOf(e: Evidence): EvidenceExcerpt {
  let truncated = e.truncated ?? false;
  const take = (text: string, max: number): string => { const c = cut(text, max); truncated ||= c.cut; return c.text; };
  const out: EvidenceExcerpt = { source: e.source, at: e.at };
  if (e.query !== undefined) out.query = take(e.query, excerptCaps.queryChars);
  if (e.by !== undefined) out.by = e.by;
  if (e.lines) {
    if (e.lines.length > excerptCaps.lines) truncated = true;
    out.lines = e.lines.slice(-excerptCaps.lines).map((l) => ({ ...l, text: take(l.text, excerptCaps.lineChars) }));
  }
  if (e.samples) {
    if (e.samples.length > excerptCaps.samples) truncated = true;
    out.samples = e.samples.slice(0, excerptCaps.samples);
  }
  if (truncated) out.truncated = true;
  return out;
}

/** The newest pieces of evidence, cut short; undefined when there is none. */
export function evidenceExcerpt(evidence: readonly Evidence[] | undefined): EvidenceExcerpt[] | undefined {
  if (!evidence?.length) return undefined;
  return evidence.slice(-excerptCaps.entries).map(excerptOf);
}

/** The incident as a run that answers it keeps it. */
export function incidentBrief(incident: Incident): IncidentBrief {
  const evidence = evidenceExcerpt(incident.evidence);
  return {
    id: incident.id, title: incident.title, severity: incident.severity, openedAt: new Date(incident.openedAt).toISOString(),
    ...(evidence ? { evidence } : {}),
  };
}
