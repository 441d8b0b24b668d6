// CPU and memory limits from usage (cores and bytes), one answer for each of `cpu` and `memory`
// the document names.
//
// With m the margin (default 0.15), c the history's confidence and widen (confidence.ts) the
// short-history bound value × (1 + ½ (1 − c)):
//   cpu    limit = widen(p90 × (1 + m), c), rounded up to 0.01 core (the VPA's target: the
//          decaying p90 with a margin);
//   memory limit = widen(max(p95 × (1 + m), max × 1.15) × (1 + oomBump if out-of-memory), c),
//          rounded up to a MiB (KRR's rule: memory is not compressible, so never under the largest
//          use seen); out-of-memory means any `oomEvents` value > 0 in the window (bump default 0.2).
// With the current limit known (the `currentCpu` / `currentMemory` metric's newest value), the
// limit is suggested only when it differs from it by more than `change` (default 0.1) of it;
// after out-of-memory events any raise is suggested. Severity comes from that relative
// difference (low without a current limit), at least high after out-of-memory events.
//
// Expected effect: after out-of-memory events, `oomEvents` down (size 1: to none). Otherwise a
// change held (`hold`): the usage may follow the limit's direction by up to the relative
// difference (a raised CPU limit lets a throttled plugin use more, a lowered one should leave
// usage where it is), and the verifier checks it moved no further.
import { dataGate, missingMetric, withinTarget } from './answers.ts';
import { confidence, widen } from './confidence.ts';
import { evidenceOf } from './evidence.ts';
import { formatBytes, formatCores, formatNumber, formatPercent } from './format.ts';
import { josa } from './korean.ts';
import { severityOfChange, worse } from './severity.ts';
import type { Analysis, Finding, MetricView, Scope } from './types.ts';
import type { ResourcesSettings } from '../../documents/schema/optimization.ts';

export interface ResourcesInput extends Scope {
  cpu?: MetricView;
  memory?: MetricView;
  oomEvents?: MetricView;
  currentCpu?: MetricView;
  currentMemory?: MetricView;
}

const mib = 1024 * 1024;
const ceilTo = (x: number, unit: number): number => Math.ceil(x / unit - 1e-9) * unit;

/** The newest value of a current-limit metric when it is a usable limit (finite, > 0). */
function currentOf(view: MetricView | undefined): number | undefined {
  const x = view?.last;
  return x !== undefined && Number.isFinite(x) && x > 0 ? x : undefined;
}

/** The suggested CPU limit (cores) from the usage p90. */
export function cpuLimit(p90: number, margin: number, conf: number): number {
  return ceilTo(widen(p90 * (1 + margin), conf), 0.01);
}

/** The suggested memory limit (bytes) from the usage p95 and maximum. */
export function memoryLimit(p95: number, max: number, margin: number, oomBump: number | undefined, conf: number): number {
  const base = Math.max(p95 * (1 + margin), max * 1.15) * (1 + (oomBump ?? 0));
  return ceilTo(widen(base, conf), mib);
}

interface Plan {
  kind: 'cpu' | 'memory';
  view: MetricView;
  limit: number;
  previous: number | undefined;
  oom: boolean;
  figures: Record<string, number>;
  usageEn: string;
  usageKo: string;
}

function answer(p: Plan, s: ResourcesSettings, input: ResourcesInput): Analysis {
  const show = p.kind === 'cpu' ? formatCores : formatBytes;
  const showKo = p.kind === 'cpu' ? (x: number) => `${formatNumber(x)}코어` : formatBytes;
  const name = p.kind === 'cpu' ? 'CPU' : 'memory', nameKo = p.kind === 'cpu' ? 'CPU' : '메모리';
  const rel = p.previous === undefined ? Number.NaN : (p.limit - p.previous) / p.previous;
  const change = s.change ?? 0.1;
  if (p.previous !== undefined && !(p.oom && p.limit > p.previous) && Math.abs(rel) <= change) {
    return withinTarget('resources', `${name} limit ${show(p.previous)} fits: the suggestion ${show(p.limit)} is within ${formatPercent(change)} of it`);
  }
  const sets = p.previous === undefined
    ? { en: `Set the ${name} limit to ${show(p.limit)} (the current limit is unknown).`, ko: `${nameKo} 한도를 ${josa(showKo(p.limit), '으로')} 정하세요(현재 한도는 알 수 없습니다).` }
    : { en: `Set the ${name} limit to ${show(p.limit)} (now ${show(p.previous)}).`, ko: `${nameKo} 한도를 ${showKo(p.previous)}에서 ${josa(showKo(p.limit), '으로')} 바꾸세요.` };
  const size = Number.isNaN(rel) ? 0 : Math.abs(rel);
  const oomMetric = input.oomEvents?.name;
  const finding: Finding = {
    analyzer: 'resources',
    type: p.kind === 'cpu' ? 'cpu_limit' : 'memory_limit',
    value: p.limit,
    unit: p.kind === 'cpu' ? 'cores' : 'bytes',
    description: { en: `${p.usageEn} ${sets.en}`, ko: `${p.usageKo} ${sets.ko}` },
    evidence: evidenceOf(p.view, input.windowMs, p.figures),
    expected: p.oom && oomMetric !== undefined
      ? { metric: oomMetric, direction: 'down', size: 1 }
      : { metric: p.view.name, direction: p.previous !== undefined && p.limit < p.previous ? 'down' : 'up', size, hold: true },
    severity: p.oom ? worse(severityOfChange(rel), 'high') : severityOfChange(rel),
    confidence: confidence(p.view, input.rule, input.windowMs),
  };
  if (p.previous !== undefined) finding.previous = p.previous;
  return finding;
}

function analyzeCpu(view: MetricView, s: ResourcesSettings, input: ResourcesInput): Analysis {
  const margin = s.margin ?? 0.15, conf = confidence(view, input.rule, input.windowMs);
  const p90 = view.quantile(0.9);
  const limit = cpuLimit(p90, margin, conf);
  const previous = currentOf(input.currentCpu);
  const figures: Record<string, number> = { cpuP90: p90, margin, suggested: limit };
  if (previous !== undefined) figures.current = previous;
  return answer({
    kind: 'cpu', view, limit, previous, oom: false, figures,
    usageEn: `CPU use p90 is ${formatCores(p90)}.`,
    usageKo: `CPU 사용량 p90은 ${formatNumber(p90)}코어입니다.`,
  }, s, input);
}

function analyzeMemory(view: MetricView, s: ResourcesSettings, input: ResourcesInput): Analysis {
  const margin = s.margin ?? 0.15, conf = confidence(view, input.rule, input.windowMs);
  const oomView = input.oomEvents;
  const oom = oomView !== undefined && oomView.count > 0 && oomView.max > 0;
  const p95 = view.quantile(0.95), max = view.max;
  const limit = memoryLimit(p95, max, margin, oom ? (s.oomBump ?? 0.2) : undefined, conf);
  const previous = currentOf(input.currentMemory);
  const figures: Record<string, number> = { memoryP95: p95, memoryMax: max, margin, suggested: limit, oom: oom ? 1 : 0 };
  if (previous !== undefined) figures.current = previous;
  return answer({
    kind: 'memory', view, limit, previous, oom, figures,
    usageEn: `Memory p95 is ${formatBytes(p95)} and the maximum ${formatBytes(max)}${oom ? '; the plugin ran out of memory in the window' : ''}.`,
    usageKo: `메모리 p95는 ${formatBytes(p95)}, 최대는 ${formatBytes(max)}입니다${oom ? '. 기간 안에 메모리 부족(OOM)이 있었습니다' : ''}.`,
  }, s, input);
}

/** One answer for each of `cpu` and `memory` the settings name, in that order. */
export function analyzeResources(input: ResourcesInput, s: ResourcesSettings, _now: number): Analysis[] {
  const out: Analysis[] = [];
  const roles = [['cpu', s.cpu, input.cpu, analyzeCpu], ['memory', s.memory, input.memory, analyzeMemory]] as const;
  for (const [role, metric, view, analyze] of roles) {
    if (metric === undefined) continue;
    if (!view) {
      out.push(missingMetric('resources', role, metric));
      continue;
    }
    out.push(dataGate('resources', view, input.rule) ?? analyze(view, s, input));
  }
  return out;
}
