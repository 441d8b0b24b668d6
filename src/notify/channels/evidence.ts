// An incident's evidence excerpt as plain text, the way the text channels show it (Slack, e-mail,
// PagerDuty): per piece a heading (its source and query) and a few lines, each on one line and
// cut short. Escaping for a format (Slack's mrkdwn, HTML) is the channel's; a webhook carries the
// excerpt as data instead.
import type { EvidenceExcerpt } from '../message.ts';

export interface EvidenceBlock { heading: string; lines: string[]; more: boolean }

export const evidenceShown = { lines: 5, lineChars: 200 } as const;

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

const labelText = (labels: Record<string, string>): string =>
  `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;

/** The newest lines (or the first samples) of each piece, at most `o.lines` of `o.lineChars` characters. */
export function evidenceBlocks(evidence: readonly EvidenceExcerpt[] | undefined, o: { lines: number; lineChars: number } = evidenceShown): EvidenceBlock[] {
  return (evidence ?? []).map((e) => {
    const all = [
      ...(e.lines ?? []).map((l) => l.text),
      ...(e.samples ?? []).map((s) => `${labelText(s.labels)} ${s.value}`),
    ];
    const shown = e.lines?.length ? all.slice(-o.lines) : all.slice(0, o.lines);
    return {
      heading: oneLine(`${e.source}${e.by ? ` (${e.by})` : ''}${e.query ? `: ${e.query}` : ''}`, o.lineChars),
      lines: shown.map((l) => oneLine(l, o.lineChars)),
      more: all.length > shown.length || e.truncated === true,
    };
  });
}

/** The blocks as text: a heading, its lines indented, `…` when there is more. */
export function evidenceText(evidence: readonly EvidenceExcerpt[] | undefined): string {
  return evidenceBlocks(evidence).map((b) => [b.heading, ...b.lines.map((l) => `  ${l}`), ...(b.more ? ['  …'] : [])].join('\n')).join('\n');
}
