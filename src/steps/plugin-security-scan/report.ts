// What the step says about a scan: one log line per finding, counts per severity, the findings
// as bounded JSON, and the failure message.
import { publicFinding, type Finding } from '../../plugins/scan/finding.ts';
import { meets, severities, type FailOn, type SeverityName } from '../../plugins/scan/severity.ts';

export const maxReportBytes = 64 * 1024;

/** `high python.eval backend/plugin.py:3:5 eval() runs arbitrary code …` */
export const findingLine = (f: Finding): string => `${f.severity} ${f.ruleId} ${f.file}:${f.line}:${f.col} ${f.message}`;

export function countBySeverity(findings: readonly Finding[]): Record<SeverityName, number> {
  const counts: Record<SeverityName, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** A JSON array of the findings, as many as fit in `maxBytes` (it stays valid JSON). */
export function reportJson(findings: readonly Finding[], maxBytes = maxReportBytes): string {
  const parts: string[] = [];
  let size = 2;
  for (const f of findings) {
    const part = JSON.stringify(publicFinding(f));
    const grown = size + Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    if (grown > maxBytes) break;
    parts.push(part);
    size = grown;
  }
  return `[${parts.join(',')}]`;
}

/** Why the step fails, or undefined when nothing meets the threshold. */
export function failureMessage(findings: readonly Finding[], failOn: FailOn): string | undefined {
  const failing = findings.filter((f) => meets(f.severity, failOn));
  const first = failing[0];
  if (!first) return undefined;
  const counts = countBySeverity(failing);
  const parts = [...severities].reverse().filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  const more = failing.length > 1 ? `; and ${failing.length - 1} more` : '';
  return `${failing.length} finding${failing.length === 1 ? '' : 's'} at or above ${failOn} (${parts.join(', ')}): `
    + `${first.ruleId} at ${first.file}:${first.line}:${first.col} ${first.message}${more}`;
}
