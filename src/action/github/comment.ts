// One sticky comment per marker: found by a hidden HTML comment on its first line, updated in
// place on later runs instead of adding a new comment each time.
import type { GitHubPort } from './port.ts';

/** GitHub refuses comment bodies longer than this (422). */
export const commentBodyMax = 65_536;

/**
 * The marker for "one comment per plugin and workflow". Each part is percent-encoded, so the
 * `:` between them is unambiguous and the marker can never close the HTML comment (`-->`).
 */
export function commentMarker(workflow: string, plugin?: string): string {
  const part = (s: string) => encodeURIComponent(s.trim());
  return plugin === undefined || plugin.trim() === '' ? part(workflow) : `${part(workflow)}:${part(plugin)}`;
}

export function markerLine(marker: string): string {
  if (marker === '' || /-->|--!>|[\r\n]/.test(marker)) {
    throw new TypeError(`comment marker ${JSON.stringify(marker)} must be non-empty, on one line, without "-->"`);
  }
  return `<!-- pluginops:${marker} -->`;
}

/**
 * Whether a comment carries the marker on a line of its own. A reply quoting the comment has it
 * after "> ", so it is not mistaken for ours.
 */
export function hasMarker(body: string, marker: string): boolean {
  const line = markerLine(marker);
  return body.split(/\r?\n/).some((l) => l.trim() === line);
}

/** The body as written: the marker line first, cut to GitHub's limit. */
export function markedBody(marker: string, body: string): string {
  const line = markerLine(marker);
  const rest = body.startsWith(`${line}\n`) ? body.slice(line.length + 1) : body === line ? '' : body;
  const full = `${line}\n${rest}`;
  if (full.length <= commentBodyMax) return full;
  const note = '\n\n… (cut: the comment was longer than GitHub allows)';
  return full.slice(0, commentBodyMax - note.length) + note;
}

/** Updates the oldest comment carrying the marker (not when its body is already the same), or creates one. */
export async function upsertComment(port: GitHubPort, issue: number, marker: string, body: string): Promise<{ id: number; created: boolean }> {
  const text = markedBody(marker, body);
  const existing = (await port.listIssueComments(issue)).find((c) => hasMarker(c.body, marker));
  if (existing) {
    if (existing.body !== text) await port.updateIssueComment(existing.id, text);
    return { id: existing.id, created: false };
  }
  const { id } = await port.createIssueComment(issue, text);
  return { id, created: true };
}
