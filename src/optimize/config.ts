// What optimization runs, compiled once from the Optimization documents: durations in ms, the
// defaults filled in, and the references to other documents checked — every runbook an `apply`
// names is an ActionPlan (the project's or a shipped one) whose parameters include each key of
// `with`, every health check a metric reads exists. Problems are diagnostics with the file, line
// and column of the reference, collected and thrown together, so `serve` refuses the reload and
// keeps the configuration that works.
import type { Diagnostic } from '../documents/diagnostics.ts';
import { InvalidDocumentsError } from '../documents/diagnostics.ts';
import type { DocumentSet, Loaded } from '../documents/document-set.ts';
import type { ApplyDoc, MetricSourceDoc, OptimizationDoc } from '../documents/schema/optimization.ts';
import { locate, type Path } from '../documents/source.ts';
import { parseDuration } from '../engine/duration.ts';
import type { PlanInfo } from '../remediation/ports.ts';
import { applies } from './documents.ts';

type Spec = OptimizationDoc['spec'];

export interface VerifyConfig { warmUpMs: number; windowMs: number; minSamples: number; alpha: number; minEffect: number; revert: boolean }
export interface Guardrails { cooldownMs: number; timeoutMs: number; dryRun: boolean; requireApproval: boolean; backup: boolean }

export interface OptimizationItem {
  id: string;
  file: string;
  plugins: string[];
  everyMs: number;
  windowMs: number;
  halfLifeMs: number;
  minSamples: number;
  minSpanMs: number;
  metrics: Record<string, MetricSourceDoc>;
  analyzers: Spec['analyzers'];
  verify: VerifyConfig;
  guardrails: Guardrails;
  notify?: string[];
}

export interface OptimizationConfig { items: Map<string, OptimizationItem> }

export const defaults = {
  everyMs: 15 * 60_000,
  windowMs: 7 * 86_400_000,
  halfLifeMs: 86_400_000,
  minSamples: 100,
  minSpanMs: 3 * 3_600_000,
  verify: { warmUpMs: 5 * 60_000, windowMs: 30 * 60_000, minSamples: 20, alpha: 0.05, minEffect: 0.1, revert: true },
  guardrails: { cooldownMs: 3_600_000, timeoutMs: 30 * 60_000, dryRun: false, requireApproval: false, backup: true },
} as const;

const ms = (d: string | undefined, fallback: number): number => (d === undefined ? fallback : parseDuration(d));

export interface ConfigSources {
  /** The ActionPlans that may run: the project's and the shipped ones. */
  plans: ReadonlyMap<string, PlanInfo>;
  /** The health checks the monitor knows. */
  checks: ReadonlySet<string>;
}

export function optimizationConfig(documents: DocumentSet, sources: ConfigSources): OptimizationConfig {
  const problems: Diagnostic[] = [];
  const items = new Map<string, OptimizationItem>();
  for (const loaded of documents.Optimization.values()) {
    problems.push(...references(loaded, sources));
    items.set(loaded.id, compile(loaded));
  }
  if (problems.length) throw new InvalidDocumentsError(problems);
  return { items };
}

function compile(loaded: Loaded<'Optimization'>): OptimizationItem {
  const s = loaded.doc.spec;
  const v = s.verify ?? {};
  const g = s.guardrails ?? {};
  return {
    id: loaded.id, file: loaded.src.file, plugins: s.plugins,
    everyMs: ms(s.every, defaults.everyMs), windowMs: ms(s.window, defaults.windowMs), halfLifeMs: ms(s.halfLife, defaults.halfLifeMs),
    minSamples: s.minSamples ?? defaults.minSamples, minSpanMs: ms(s.minSpan, defaults.minSpanMs),
    metrics: s.metrics, analyzers: s.analyzers,
    verify: {
      warmUpMs: ms(v.warmUp, defaults.verify.warmUpMs), windowMs: ms(v.window, defaults.verify.windowMs), minSamples: v.minSamples ?? defaults.verify.minSamples,
      alpha: v.alpha ?? defaults.verify.alpha, minEffect: v.minEffect ?? defaults.verify.minEffect, revert: v.revert ?? defaults.verify.revert,
    },
    guardrails: {
      cooldownMs: ms(g.cooldown, defaults.guardrails.cooldownMs), timeoutMs: ms(g.timeout, defaults.guardrails.timeoutMs),
      dryRun: g.dryRun ?? defaults.guardrails.dryRun, requireApproval: g.requireApproval ?? defaults.guardrails.requireApproval,
      backup: g.backup ?? defaults.guardrails.backup,
    },
    ...(s.notify ? { notify: s.notify } : {}),
  };
}

function references(loaded: Loaded<'Optimization'>, sources: ConfigSources): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: Path, message: string, where: 'value' | 'key' = 'value') => out.push({ file: loaded.src.file, ...locate(loaded.src, path, where), code: 'E_UNKNOWN_REFERENCE', message });
  const spec = loaded.doc.spec;
  for (const [name, m] of Object.entries(spec.metrics)) {
    if (m.healthCheck !== undefined && !sources.checks.has(m.healthCheck)) {
      at(['spec', 'metrics', name, 'healthCheck'], `there is no HealthCheck \`${m.healthCheck}\`; expected one of: ${[...sources.checks].join(', ') || '(none defined)'}`);
    }
  }
  const runbook = (path: Path, apply: Pick<ApplyDoc, 'runbook' | 'with'>) => {
    const plan = sources.plans.get(apply.runbook);
    if (!plan) { at([...path, 'runbook'], `there is no ActionPlan \`${apply.runbook}\`; expected a runbook of the project or a shipped one (${[...sources.plans.keys()].slice(0, 12).join(', ')}${sources.plans.size > 12 ? ', …' : ''})`); return; }
    for (const key of Object.keys(apply.with ?? {})) {
      if (!plan.parameters.includes(key)) at([...path, 'with', key], `ActionPlan \`${apply.runbook}\` has no parameter \`${key}\`; it takes: ${plan.parameters.join(', ') || '(none)'}`, 'key');
    }
  };
  for (const { path, apply } of applies(spec)) {
    runbook(path, apply);
    if (apply.revert) runbook([...path, 'revert'], { runbook: apply.revert.runbook ?? apply.runbook, ...(apply.revert.with ? { with: apply.revert.with } : {}) });
  }
  return out;
}
