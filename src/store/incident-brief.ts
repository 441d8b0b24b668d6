// An incident as the records and messages outside the monitor carry it: the few facts a person
// decides by (title, severity, when it started) and a short excerpt of its evidence. Here, at the
// bottom of the layers, because an execution record keeps the brief of the incident a
// self-healing run answers (its approvers see it) and notifications carry the excerpt; the
// monitor builds both from an incident (monitor/incidents/excerpt.ts).

/** A piece of evidence cut short for a message: the shape of an incident's evidence, tighter caps. */
export interface EvidenceExcerpt {
  source: 'loki' | 'prometheus' | 'check' | 'manual';
  /** When it was taken, ms since the epoch. */
  at: number;
  query?: string;
  by?: string;
  lines?: Array<{ text: string; at?: number; labels?: Record<string, string> }>;
  samples?: Array<{ labels: Record<string, string>; value: number; at?: number }>;
  /** The incident holds more than the excerpt shows, or its source was cut. */
  truncated?: boolean;
}

/** The incident a run answers, as it stood when the run started. */
export interface IncidentBrief {
  id: string;
  title: string;
  severity: string;
  /** ISO time it opened. */
  openedAt: string;
  evidence?: EvidenceExcerpt[];
}
