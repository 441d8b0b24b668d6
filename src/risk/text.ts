// A run's risk and the calibration as terminal text (`plan --risk`, `run`, `stats --risk`).
import type { ChangeSummary, RiskAssessment } from '../store/risk.ts';
import type { Calibration } from './calibrate.ts';
import { factorLabels } from './labels.ts';

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** One line: `risk: high (score 0.72, probability 41%, confidence medium, 24 runs)`. */
export function riskLine(r: RiskAssessment): string {
  if (r.score === null) return `risk: unknown — ${r.reason ?? 'not enough data'}`;
  return `risk: ${r.level} (score ${r.score.toFixed(2)}${r.probability !== undefined ? `, probability ${pct(r.probability)}` : ''}, confidence ${r.confidence}, ${r.history} finished run${r.history === 1 ? '' : 's'})`;
}

export function riskText(r: RiskAssessment): string {
  const lines = [riskLine(r)];
  const width = Math.max(...r.factors.map((f) => factorLabels[f.name].length));
  for (const f of r.factors) lines.push(`  ${factorLabels[f.name].padEnd(width)}  ${f.value.toFixed(2)} × ${String(f.weight).padEnd(3)}  ${f.detail}`);
  if (r.change) lines.push(...changeText(r.change));
  return `${lines.join('\n')}\n`;
}

export function changeText(c: ChangeSummary): string[] {
  const short = (ref: string) => (/^[0-9a-f]{40,64}$/.test(ref) ? ref.slice(0, 12) : ref);
  const lines = [`  change ${short(c.base)}…${short(c.head)}: ${c.files} file${c.files === 1 ? '' : 's'}, +${c.linesAdded} −${c.linesDeleted}; ${c.codeFiles} source, ${c.testFiles} test${c.dependencyFiles.length ? `; dependencies: ${c.dependencyFiles.join(', ')}` : ''}${c.manifests.length ? `; manifest: ${c.manifests.join(', ')}` : ''}`];
  for (const f of c.functions.slice(0, 5)) lines.push(`    complexity ${String(f.complexity).padStart(3)}  ${f.name}  ${f.file}:${f.line}`);
  for (const u of c.unmeasured?.slice(0, 5) ?? []) lines.push(`    not measured: ${u.file}: ${u.reason}`);
  return lines;
}

export function calibrationText(c: Calibration): string {
  const lines = [`scored past runs: ${c.runs} (${c.failures} failed, base rate ${pct(c.baseRate)})`];
  if (c.heldOut) {
    const b = c.heldOut.brier;
    lines.push(`held out (newest ${c.heldOut.runs}, ${c.heldOut.failures} failed) — Brier score: calibrated ${b.model.toFixed(4)}, base rate ${b.baseRate.toFixed(4)}, weighted score ${b.score.toFixed(4)} (lower is better)`);
    lines.push('  predicted    runs  mean predicted  observed');
    for (const k of c.heldOut.buckets) lines.push(`  ${pct(k.from).padStart(4)}–${pct(k.to).padEnd(5)} ${String(k.runs).padStart(5)}  ${pct(k.meanPredicted).padStart(14)}  ${pct(k.observed).padStart(8)}`);
  }
  lines.push(c.usable ? 'calibration: in use (probabilities are shown beside the score)' : `calibration: not in use — ${c.reason}`);
  if (c.coefficients) {
    const { intercept, ...rest } = c.coefficients;
    lines.push(`coefficients (log-odds): intercept ${intercept}, ${Object.entries(rest).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
