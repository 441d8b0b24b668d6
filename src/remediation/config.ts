// What remediation runs under, compiled once from the project file and the documents: the
// project's `remediation:` defaults and limits, and every `remediate` of an AlertRule or a
// HealthCheck with durations in ms and `with` expressions parsed. Every problem is collected and
// reported together, so a reload can refuse a bad configuration and keep the running one.
//
// Policy of one remediation: the project's limits (cooldown, maxPerWindow, window, breaker),
// overlaid by the rule's cooldown, maxPerWindow and window. Dry run is the project's OR the
// rule's: a global dry run stops every run, whatever a rule says.
import type { DocumentSet } from '../documents/document-set.ts';
import type { MonitorConfig } from '../monitor/runtime/config.ts';
import type { AlertRuleDoc } from '../documents/schema/operations.ts';
import type { ProjectDoc } from '../documents/schema/project.ts';
import { parseDuration } from '../engine/duration.ts';
import type { Severity } from '../documents/schema/alerting.ts';
import { RemediationConfigError } from './errors.ts';
import { guardPolicy, type GuardPolicy } from './guard.ts';
import { withProblems } from './params.ts';

type RemediateDoc = NonNullable<AlertRuleDoc['spec']['remediate']>;
type Limits = Partial<Pick<GuardPolicy, 'cooldownMs' | 'maxPerWindow' | 'windowMs'>>;

export interface RemediateSpec {
  /** Where it is written: `AlertRule <id>` or `HealthCheck <id>`. */
  source: string;
  /** One plan, or the candidates in the order written. */
  plans: string[];
  with?: Record<string, unknown>;
  limits: Limits;
  dryRun: boolean;
  requireApproval: boolean;
  /** `attempts` absent: the check's successThreshold (1 for a rule without a check). */
  verify: { attempts?: number; intervalMs: number };
}

export interface RemediationConfig {
  enabled: boolean;
  /** The project's defaults; `dryRun` is the global dry run. */
  policy: GuardPolicy;
  /** A run longer than this (after any approval) is cancelled and counts as timed out. */
  timeoutMs: number;
  /** Incidents of these severities wait for a person to approve each run. */
  approvalSeverities: Severity[];
  /** By AlertRule id. */
  rules: Map<string, RemediateSpec>;
  /** By HealthCheck id: used for the rules over that check that name no `remediate` of their own. */
  checks: Map<string, RemediateSpec>;
}

export const defaultRunTimeoutMs = 15 * 60_000;
export const defaultVerifyIntervalMs = 2_000;

export function remediationConfig(project: ProjectDoc, documents: DocumentSet): RemediationConfig {
  const problems: string[] = [];
  const ms = (where: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    try { return parseDuration(text); } catch (e) { problems.push(`${where}: ${(e as Error).message}`); return undefined; }
  };
  const r = project.remediation ?? {};
  const given: Partial<GuardPolicy> = {
    cooldownMs: ms('remediation.cooldown', r.cooldown), maxPerWindow: r.maxPerWindow, windowMs: ms('remediation.window', r.window),
    breakerThreshold: r.breakerThreshold, breakerResetMs: ms('remediation.breakerReset', r.breakerReset), dryRun: r.dryRun,
  };
  let policy = guardPolicy();
  try { policy = guardPolicy(given); } catch (e) { problems.push(`remediation: ${(e as Error).message}`); }

  const spec = (source: string, doc: RemediateDoc): RemediateSpec => {
    const plans = doc.plans ?? (doc.plan === undefined ? [] : [doc.plan]);
    if (plans.length === 0) problems.push(`${source}: remediate names no plan; expected \`plan\` or \`plans\``);
    if (doc.with !== undefined) problems.push(...withProblems(doc.with, `${source} remediate`));
    const limits: Limits = {};
    const cooldownMs = ms(`${source} remediate.cooldown`, doc.cooldown);
    const windowMs = ms(`${source} remediate.window`, doc.window);
    if (cooldownMs !== undefined) limits.cooldownMs = cooldownMs;
    if (windowMs !== undefined) limits.windowMs = windowMs;
    if (doc.maxPerWindow !== undefined) limits.maxPerWindow = doc.maxPerWindow;
    const intervalMs = ms(`${source} remediate.verify.interval`, doc.verify?.interval) ?? defaultVerifyIntervalMs;
    return {
      source, plans, ...(doc.with === undefined ? {} : { with: doc.with }), limits, dryRun: doc.dryRun === true,
      requireApproval: doc.requireApproval === true,
      verify: { ...(doc.verify?.attempts === undefined ? {} : { attempts: doc.verify.attempts }), intervalMs },
    };
  };

  const rules = new Map<string, RemediateSpec>();
  for (const [id, loaded] of documents.AlertRule) {
    const doc = loaded.doc.spec.remediate;
    if (doc) rules.set(id, spec(`AlertRule ${id}`, doc));
  }
  const checks = new Map<string, RemediateSpec>();
  for (const [id, loaded] of documents.HealthCheck) {
    const doc = loaded.doc.spec.remediate;
    if (doc) checks.set(id, spec(`HealthCheck ${id}`, doc));
  }
  const timeoutMs = ms('remediation.timeout', r.timeout) ?? defaultRunTimeoutMs;
  if (problems.length) throw new RemediationConfigError(problems);
  return { enabled: r.enabled !== false, policy, timeoutMs, approvalSeverities: r.requireApproval?.severities ?? [], rules, checks };
}

/** The policy one remediation runs under (see the header). */
export function policyFor(config: RemediationConfig, spec: RemediateSpec): GuardPolicy {
  return guardPolicy({ ...config.policy, ...spec.limits, dryRun: config.policy.dryRun || spec.dryRun });
}

/** What remediates an alert of a rule: the remediate, the health check the rule reads, and the target. */
export interface Remediation {
  spec: RemediateSpec;
  check?: string;
  /** The alert's `plugin` label, else the check id, else the rule id. */
  target: string;
}

/** The rule's remediate, or else the remediate of the health check it reads; undefined when neither names one. */
export function remediationFor(config: RemediationConfig, monitor: Pick<MonitorConfig, 'rules'>, ruleId: string, labels: Readonly<Record<string, string>>): Remediation | undefined {
  const source = monitor.rules.get(ruleId)?.source;
  const check = source?.kind === 'status' || source?.kind === 'field' ? source.check : undefined;
  const spec = config.rules.get(ruleId) ?? (check === undefined ? undefined : config.checks.get(check));
  if (!spec) return undefined;
  return { spec, ...(check === undefined ? {} : { check }), target: labels.plugin ?? check ?? ruleId };
}
