// Loading what `serve` runs — the project file, its documents and the monitor configuration —
// as one value, and explaining a failure as lines (file:line:col for documents), so a reload can
// log why an edit was refused and keep the configuration that works.
import { registry } from '../wiring/registry.ts';
import { formatDiagnostic, InvalidDocumentsError } from '../documents/diagnostics.ts';
import { loadProjectDocuments, monitorConfigOf } from '../monitor/runtime/load.ts';
import { parseDuration } from '../engine/duration.ts';
import { remediationConfig, type RemediationConfig } from '../remediation/config.ts';
import { RemediationConfigError } from '../remediation/errors.ts';
import type { PlanInfo } from '../remediation/ports.ts';
import { existsSync } from 'node:fs';
import { emptySet, type DocumentSet } from '../documents/document-set.ts';
import { loadDocuments } from '../documents/load.ts';
import { templatesDir } from '../documents/package-root.ts';
import { MonitorConfigError, type MonitorConfig } from '../monitor/runtime/config.ts';
import { loadProject, type Project } from '../project/load.ts';
import { optimizationConfig, type OptimizationConfig } from '../optimize/config.ts';

export interface Loaded {
  project: Project;
  monitor: MonitorConfig;
  remediation: RemediationConfig;
  /** The Optimization documents, compiled. */
  optimization: OptimizationConfig;
  /** The action plans remediation may run: the project's and the shipped ones. */
  plans: ReadonlyMap<string, PlanInfo>;
  /** Things that load but will not do what they say, logged as warnings. */
  warnings: string[];
  loadedAt: number;
}

export async function loadServeConfig(cwd: string, configPath: string | undefined, env: Readonly<Record<string, string | undefined>>, now: number): Promise<Loaded> {
  const project = await loadProject(cwd, configPath);
  const documents = await loadProjectDocuments(project, cwd, registry);
  const monitor = monitorConfigOf(project, documents, env);
  const remediation = remediationConfig(project.config, documents);
  // A check's `remediate` acts when an alert over the check fires: without a rule it never does.
  const warnings = [...remediation.checks.keys()].filter((id) => !monitor.rulesByCheck.get(id)?.length)
    .map((id) => `HealthCheck ${id} names remediate, but no AlertRule has source.healthCheck: ${id}, so it never fires`);
  const plans = await planInfos(documents, cwd);
  const optimization = optimizationConfig(documents, { plans, checks: new Set(monitor.checks.keys()) });
  return { project, monitor, remediation, optimization, plans, warnings, loadedAt: now };
}

let shipped: DocumentSet | undefined;

/** What remediation needs to know of each plan it may run: the project's, then the shipped ones. */
export async function planInfos(documents: DocumentSet, cwd: string): Promise<Map<string, PlanInfo>> {
  const dir = templatesDir();
  shipped ??= existsSync(dir) ? (await loadDocuments([dir], cwd, { registry })).set : emptySet();
  const plans = new Map<string, PlanInfo>();
  for (const { id, doc: { spec } } of [...documents.ActionPlan.values(), ...shipped.ActionPlan.values()]) {
    if (plans.has(id)) continue;
    plans.set(id, {
      id, approvalRequired: spec.approval?.required ?? false, parameters: Object.keys(spec.parameters ?? {}),
      ...(spec.category ? { category: spec.category } : {}), ...(spec.timeout ? { timeoutMs: parseDuration(spec.timeout) } : {}),
    });
  }
  return plans;
}

/** Why a configuration did not load, one line per problem. */
export function problemLines(e: unknown): string[] {
  if (e instanceof InvalidDocumentsError) return e.diagnostics.map(formatDiagnostic);
  if (e instanceof MonitorConfigError) return e.problems;
  if (e instanceof RemediationConfigError) return e.problems;
  return [e instanceof Error ? e.message : String(e)];
}
