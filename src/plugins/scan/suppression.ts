// Inline suppression: `pluginops: ignore[rule-id, …] -- reason` in a comment suppresses those
// rules on its own line, and on the next line when the comment stands alone on its line. A marker
// without a reason suppresses nothing and is a finding of its own.
import { commentStart, type FileLanguage } from './comments.ts';
import { lineHash, snippetOf, type Finding, type RuleInfo, type SuppressedFinding } from './finding.ts';

export const suppressionRule: RuleInfo = {
  id: 'suppression-without-reason',
  severity: 'medium',
  message: 'a `pluginops: ignore[…]` comment without a reason suppresses nothing',
  fix: 'Say why the code is safe after the rule ids: `pluginops: ignore[rule-id] -- reason`.',
};

export interface Marker {
  /** 1-based line and column of the comment that holds the marker. */
  line: number;
  col: number;
  ids: string[];
  /** Empty when none was given. */
  reason: string;
  /** The comment is the only thing on its line, so it also covers the next line. */
  ownLine: boolean;
}

const markerPattern = /pluginops:\s*ignore\[([^\]]*)\](.*)$/;

export function findMarkers(lines: readonly string[], language: FileLanguage): Marker[] {
  const out: Marker[] = [];
  lines.forEach((text, i) => {
    if (!text.includes('pluginops:')) return;
    const start = commentStart(text, language);
    if (start < 0) return;
    const m = markerPattern.exec(text.slice(start));
    if (!m) return;
    const ids = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
    const reason = (/^\s*--(.*)$/.exec(m[2]!)?.[1] ?? '').replace(/\*\/\s*$/, '').trim();
    out.push({ line: i + 1, col: start + 1, ids, reason, ownLine: text.slice(0, start).trim() === '' });
  });
  return out;
}

/** Splits findings of one file into kept and suppressed, by the markers of that file. */
export function applyMarkers(findings: readonly Finding[], markers: readonly Marker[]): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const covering = new Map<number, Marker[]>();
  const add = (line: number, m: Marker) => covering.set(line, [...(covering.get(line) ?? []), m]);
  for (const m of markers) {
    if (!m.reason) continue;
    add(m.line, m);
    if (m.ownLine) add(m.line + 1, m);
  }
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const by = f.ruleId === suppressionRule.id ? undefined : covering.get(f.line)?.find((m) => m.ids.includes(f.ruleId));
    if (by) suppressed.push({ ...f, justification: by.reason });
    else kept.push(f);
  }
  return { kept, suppressed };
}

/** A finding for every marker that names rules but gives no reason. */
export function reasonlessMarkers(file: string, lines: readonly string[], markers: readonly Marker[]): Finding[] {
  return markers.filter((m) => !m.reason && m.ids.length > 0).map((m) => {
    const text = lines[m.line - 1] ?? '';
    return {
      ruleId: suppressionRule.id, severity: suppressionRule.severity, file, line: m.line, col: m.col,
      message: `${suppressionRule.message} (ignore[${m.ids.join(', ')}])`, fix: suppressionRule.fix,
      snippet: snippetOf(text, m.col - 1, 0, false), lineHash: lineHash(text),
    };
  });
}
