// A run's risk as Markdown, for the Action's job summary and pull request comment. Every text
// from outside (paths, function names, details) is escaped.
import type { RiskAssessment } from '../store/risk.ts';
import { escapeMarkdown } from './conflicts/markdown.ts';
import { factorLabels } from './labels.ts';

const pct = (v: number) => `${Math.round(v * 100)}%`;
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function riskMarkdown(r: RiskAssessment, plugin?: string): string {
  const title = `### Failure risk${plugin ? ` of ${escapeMarkdown(plugin)}` : ''}: ${r.level}`;
  const head = r.score === null
    ? `${escapeMarkdown(capitalized(r.reason ?? 'not enough data'))}.`
    : `Score **${r.score.toFixed(2)}**${r.probability !== undefined ? `, calibrated probability of failure **${pct(r.probability)}**` : ''}; confidence ${r.confidence}, from ${r.history} finished run${r.history === 1 ? '' : 's'}.`;
  const rows = r.factors.map((f) => `| ${factorLabels[f.name]} | ${f.value.toFixed(2)} | ${f.weight} | ${escapeMarkdown(f.detail)} |`);
  const parts = [title, '', head, '', '| factor | value | weight | why |', '|---|---|---|---|', ...rows];
  const c = r.change;
  if (c) {
    parts.push('', `Change: ${c.files} file${c.files === 1 ? '' : 's'}, +${c.linesAdded} −${c.linesDeleted}; ${c.codeFiles} source, ${c.testFiles} test.`);
    if (c.functions.length) {
      parts.push('', '| touched function | complexity | where |', '|---|---|---|');
      for (const f of c.functions.slice(0, 10)) parts.push(`| ${escapeMarkdown(f.name)} | ${f.complexity} | ${escapeMarkdown(`${f.file}:${f.line}`)} |`);
    }
  }
  return `${parts.join('\n')}\n`;
}
