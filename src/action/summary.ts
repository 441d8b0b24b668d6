// The job summary and the pull request comment: Markdown over the plugin reports.
import type { Diagnostic } from '../documents/diagnostics.ts';
import { formatDuration } from '../engine/duration.ts';
import type { PlannedRow } from '../engine/dry-run.ts';
import type { Level } from './annotations.ts';
import type { PluginReport } from './report.ts';

const icon: Record<string, string> = {
  success: '✅', failed: '❌', timed_out: '⏱️', cancelled: '🚫', skipped: '⏭️', interrupted: '⚠️', planned: '📝', pending: '…', running: '…',
};
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').slice(0, 300);
const sevOrder = ['critical', 'high', 'medium', 'low'] as const;

export function runSection(r: PluginReport): string {
  const lines: string[] = [];
  const took = r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : '';
  lines.push(`### ${icon[r.status] ?? ''} \`${r.workflow}\`${r.plugin ? ` on \`${r.plugin}\`` : ''}: ${r.status}${took}`, '');
  lines.push('| step | status | duration | attempts |', '|---|---|---|---|');
  for (const s of r.steps) {
    lines.push(`| ${cell(s.id)} | ${icon[s.status] ?? ''} ${s.status}${s.error && s.status !== 'success' ? `: ${cell(s.error)}` : ''} | ${s.durationMs !== undefined ? formatDuration(s.durationMs) : ''} | ${s.attempts || ''} |`);
  }
  lines.push('');
  if (r.problems.length) {
    lines.push('| step | where | problem |', '|---|---|---|');
    for (const p of r.problems.slice(0, 20)) lines.push(`| ${cell(p.step)} | \`${cell(p.file)}:${p.line}${p.col ? `:${p.col}` : ''}\` | ${cell(p.message)} |`);
    if (r.problems.length > 20) lines.push(`| | | and ${r.problems.length - 20} more in the log |`);
    lines.push('');
  }
  if (r.findings.length || r.steps.some((s) => s.kind === 'plugin/security-scan' && s.status === 'success')) {
    const counts = sevOrder.map((s) => `${r.findings.filter((f) => f.severity === s).length} ${s}`).join(', ');
    lines.push(`**Security findings:** ${counts}`, '');
    if (r.findings.length) {
      lines.push('| severity | rule | where | finding |', '|---|---|---|---|');
      for (const f of r.findings.slice(0, 20)) lines.push(`| ${f.severity} | \`${cell(f.ruleId)}\` | \`${cell(f.file)}:${f.line}:${f.col}\` | ${cell(f.message)} |`);
      if (r.findings.length > 20) lines.push(`| | | | and ${r.findings.length - 20} more in the SARIF report |`);
      lines.push('');
    }
  }
  if (r.deploy) {
    lines.push(r.deploy.changed
      ? `**Deployed** ${r.deploy.version} to \`${r.deploy.target}\`${r.deploy.release ? ` (release \`${r.deploy.release}\`${r.deploy.previous ? `, previous \`${r.deploy.previous}\`` : ''})` : ''}.`
      : `**Already live:** ${r.deploy.version} on \`${r.deploy.target}\`, nothing deployed.`, '');
  }
  if (r.rollback) {
    lines.push(r.rollback.status === 'success'
      ? `**Rolled back** to ${r.rollback.version ?? ''} (release \`${r.rollback.to ?? ''}\`).`
      : `**Rollback ${r.rollback.status}**: ${r.steps.find((s) => s.kind === 'plugin/rollback')?.error ?? ''}`, '');
  }
  if (r.executionId) lines.push(`<sub>execution \`${r.executionId}\`</sub>`, '');
  return lines.join('\n');
}

export function planSection(workflow: string, plugin: string | undefined, rows: PlannedRow[]): string {
  const lines = [`### 📝 plan of \`${workflow}\`${plugin ? ` on \`${plugin}\`` : ''} (dry run)`, '', '| # | step | would | type | why |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.layer} | ${cell(r.step)} | ${r.decision} | \`${r.kind}\` | ${cell(r.why)} |`);
  return lines.join('\n') + '\n';
}

export function diagnosticsSection(ds: readonly Diagnostic[]): string {
  const lines = ['### ❌ The documents do not validate', '', '| where | code | problem |', '|---|---|---|'];
  for (const d of ds.slice(0, 50)) lines.push(`| \`${cell(d.file)}:${d.line}:${d.col}\` | ${d.code} | ${cell(d.message)} |`);
  if (ds.length > 50) lines.push(`| | | and ${ds.length - 50} more |`);
  return lines.join('\n') + '\n';
}

export function omittedNote(omitted: Record<Level, number>): string {
  const parts = (['error', 'warning', 'notice'] as const).filter((l) => omitted[l] > 0).map((l) => `${omitted[l]} ${l}${omitted[l] === 1 ? '' : 's'}`);
  return parts.length ? `> ${parts.join(', ')} more than GitHub shows as annotations (10 per level per step, 50 per job): see the tables above and the SARIF report.\n` : '';
}

export const summaryTitle = '## pluginops\n\n';
