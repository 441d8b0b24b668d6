// An incident's whole known timeline, kept as `timeline.json` beside its summary, and the
// Markdown summary rebuilt from it on every record. Pure: text in, text out.
import { JournalError, isJournalEvent, type JournalEntry } from './types.ts';

/** One recorded event: the entry without its incident id, and its extra files by name. */
export type TimelineItem = Omit<JournalEntry, 'incidentId' | 'files'> & { files: string[] };

export interface Timeline {
  incidentId: string;
  items: TimelineItem[];
}

export function parseTimeline(text: string, path: string): Timeline {
  let data: unknown;
  try { data = JSON.parse(text); } catch (e) {
    throw new JournalError('E_JOURNAL_TIMELINE', `${path} is not valid JSON (${e instanceof Error ? e.message : String(e)}); expected the journal's timeline`);
  }
  if (!isTimeline(data)) throw new JournalError('E_JOURNAL_TIMELINE', `${path} is not a journal timeline; expected { incidentId, items: [{ event, status, severity, title, at, text, files }] }`);
  return data;
}

function isTimeline(d: unknown): d is Timeline {
  if (typeof d !== 'object' || d === null) return false;
  const t = d as Record<string, unknown>;
  return typeof t.incidentId === 'string' && Array.isArray(t.items) && t.items.every(isItem);
}

function isItem(d: unknown): d is TimelineItem {
  if (typeof d !== 'object' || d === null) return false;
  const i = d as Record<string, unknown>;
  return typeof i.event === 'string' && isJournalEvent(i.event)
    && ['status', 'severity', 'title', 'text'].every((k) => typeof i[k] === 'string')
    && typeof i.at === 'number' && (i.by === undefined || typeof i.by === 'string')
    && Array.isArray(i.files) && i.files.every((f) => typeof f === 'string');
}

/** The timeline with `entry` added, in time order (events at the same instant keep recording order). */
export function appendToTimeline(previous: Timeline | undefined, entry: JournalEntry, files: string[]): Timeline {
  const item: TimelineItem = {
    event: entry.event, status: entry.status, severity: entry.severity, title: entry.title, at: entry.at,
    ...(entry.by === undefined ? {} : { by: entry.by }), text: entry.text, files,
  };
  const items = [...(previous?.items ?? []), item].map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.at - b.it.at || a.i - b.i).map(({ it }) => it);
  return { incidentId: entry.incidentId, items };
}

export const timelineJson = (t: Timeline): string => `${JSON.stringify(t, null, 2)}\n`;

const iso = (ms: number) => new Date(ms).toISOString();

/** The summary: where the incident stands now, then every event with its text and files. */
export function renderSummary(t: Timeline): string {
  const latest = t.items[t.items.length - 1];
  const first = t.items[0];
  if (!latest || !first) return `# Incident ${t.incidentId}\n\nNo events recorded.\n`;
  const lines = [
    `# Incident ${t.incidentId}: ${latest.title}`,
    '',
    `- Status: ${latest.status}`,
    `- Severity: ${latest.severity}`,
    `- Opened: ${iso(first.at)}`,
    `- Last event: ${latest.event} at ${iso(latest.at)}`,
    '',
    '## Timeline',
  ];
  for (const it of t.items) {
    lines.push('', `### ${iso(it.at)}: ${it.event} (${it.status})${it.by ? ` by ${it.by}` : ''}`);
    if (it.text.trim()) lines.push('', it.text.trimEnd());
    if (it.files.length) lines.push('', `Files: ${it.files.map((f) => `[${f}](./${encodeURI(f)})`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
