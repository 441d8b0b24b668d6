// What the monitor runs, compiled once from the project file and the documents: checks with
// their schedule, rules, escalation policies (the project's over the shipped defaults), channel
// names resolved, maintenance windows, query servers with `{ env: NAME }` values read. Every
// problem is collected and reported together, naming where it is, so a reload can refuse a bad
// configuration and keep the running one.
import { resolve } from 'node:path';
import type { DocumentSet } from '../../documents/document-set.ts';
import type { ChannelDoc, MonitoringDoc, ProjectDoc, QueryServerDoc } from '../../documents/schema/project.ts';
import type { HealthCheckDoc } from '../../documents/schema/operations.ts';
import { parseDuration } from '../../engine/duration.ts';
import type { Locale } from '../../notify/catalog/index.ts';
import type { Directory } from '../../notify/recipients.ts';
import { severities } from '../../documents/schema/alerting.ts';
import { readValue } from '../../documents/values/values.ts';
import { isActive, type MaintenanceWindow } from '../alerts/maintenance.ts';
import { defaultPolicies, type EscalationPolicy, type PolicyTable } from '../incidents/escalation.ts';
import type { AutoResolveDelays } from '../incidents/incident.ts';
import type { Cadence } from '../schedule/types.ts';
import type { QueryServer } from '../sources/prometheus.ts';
import { compileRule, RuleCompileError, type CompiledRule } from '../rules/compile.ts';
import { PluginopsError } from '../../errors/base.ts';

export interface CheckConfig {
  id: string;
  spec: HealthCheckDoc['spec'];
  /** Every `interval` (1 min unless given) or on the `cron` schedule, in UTC. */
  cadence: Cadence;
  staggerMs: number;
  failureThreshold: number;
  successThreshold: number;
  cwd: string;
}

export interface MonitorConfig {
  checks: Map<string, CheckConfig>;
  rules: Map<string, CompiledRule>;
  /** The rules that read each health check, so a check's result reaches only its own rules. */
  rulesByCheck: Map<string, CompiledRule[]>;
  channels: Record<string, ChannelDoc>;
  locale: Locale;
  /** The server's `publicUrl`, where notification links start. */
  publicUrl?: string;
  policies: PolicyTable;
  autoResolve: Partial<AutoResolveDelays>;
  ackTimeoutMs?: number;
  maintenance: MaintenanceWindow[];
  /** Told at once when an incident opens, for rules that name no channels. */
  notify: string[];
  servers: { prometheus?: QueryServer; loki?: QueryServer };
  historySize: number;
  killGraceMs: number;
  /** Where plugin checks look for plugins. */
  pluginDirs: string[];
  /** The project's people and groups, which escalation recipients name. */
  directory?: Directory;
}

export const defaultCheckEveryMs = 60_000;
export const maxDefaultStaggerMs = 10_000;

export class MonitorConfigError extends PluginopsError {
  readonly code = 'E_MONITOR_CONFIG';
  readonly kind = 'invalid';
  override name = 'MonitorConfigError';
  constructor(readonly problems: string[]) {
    super(`the monitoring configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface ConfigInput {
  root: string;
  config: ProjectDoc;
  documents: DocumentSet;
  env: Readonly<Record<string, string | undefined>>;
  killGraceMs: number;
}

export function monitorConfig(input: ConfigInput): MonitorConfig {
  const problems: string[] = [];
  const m: MonitoringDoc = input.config.monitoring ?? {};
  const channels = input.config.channels ?? {};
  const guard = <T>(what: string, fn: () => T): T | undefined => {
    try { return fn(); } catch (e) { problems.push(`${what}: ${(e as Error).message}`); return undefined; }
  };

  const checks = new Map<string, CheckConfig>();
  for (const [id, loaded] of input.documents.HealthCheck) {
    const spec = loaded.doc.spec;
    const cadence = guard(`HealthCheck ${id} interval`, () => cadenceOf(spec));
    if (!cadence) continue;
    const staggerMs = guard(`HealthCheck ${id} stagger`, () => (spec.stagger ? parseDuration(spec.stagger) : Math.min('every' in cadence ? cadence.every : maxDefaultStaggerMs, maxDefaultStaggerMs))) ?? 0;
    checks.set(id, {
      id, spec, cadence, staggerMs,
      failureThreshold: spec.failureThreshold ?? 3, successThreshold: spec.successThreshold ?? 2,
      cwd: resolve(input.root, spec.workingDirectory ?? '.'),
    });
  }

  const rules = new Map<string, CompiledRule>();
  for (const [id, loaded] of input.documents.AlertRule) {
    try {
      const rule = compileRule(loaded.doc);
      if ((rule.source.kind === 'status' || rule.source.kind === 'field') && !checks.has(rule.source.check)) {
        problems.push(`AlertRule ${id} (${loaded.src.file}): its source names HealthCheck \`${rule.source.check}\`, which is not defined`);
        continue;
      }
      rules.set(id, rule);
    } catch (e) {
      problems.push(e instanceof RuleCompileError ? e.message : `AlertRule ${id}: ${(e as Error).message}`);
    }
  }

  const policies: PolicyTable = { ...defaultPolicies };
  for (const severity of severities) {
    const p = m.escalation?.[severity];
    if (!p) continue;
    const steps = p.steps.map((s, i) => ({
      afterMs: guard(`monitoring.escalation.${severity}.steps[${i}].after`, () => parseDuration(s.after)) ?? 0,
      channels: s.channels, ...(s.recipients ? { recipients: s.recipients } : {}),
    }));
    policies[severity] = { id: severity, steps, ...(p.repeat !== undefined ? { repeat: p.repeat } : {}) } satisfies EscalationPolicy;
  }

  const autoResolve: Partial<AutoResolveDelays> = {};
  for (const severity of severities) {
    const d = m.autoResolve?.[severity];
    if (d) { const ms = guard(`monitoring.autoResolve.${severity}`, () => parseDuration(d)); if (ms !== undefined) autoResolve[severity] = ms; }
  }

  const maintenance: MaintenanceWindow[] = [];
  for (const [i, w] of (m.maintenance ?? []).entries()) {
    const where = `monitoring.maintenance[${i}] (${w.id})`;
    const match = w.match ? { match: { ...(w.match.rules ? { rules: w.match.rules } : {}), ...(w.match.labels ? { labels: w.match.labels } : {}) } } : {};
    // A window is read at every notification; one that cannot be read (a time without a zone, a
    // bad cron or time zone) is refused here rather than failing every escalation later.
    const add = (window: MaintenanceWindow) => { if (guard(where, () => readable(window))) maintenance.push(window); };
    if (w.cron !== undefined) {
      if (!w.duration) { problems.push(`${where}: a recurring window needs \`duration\``); continue; }
      const durationMs = guard(where, () => parseDuration(w.duration!));
      if (durationMs !== undefined) add({ id: w.id, kind: 'recurring', cron: w.cron, durationMs, timeZone: w.timeZone ?? 'UTC', ...match });
    } else if (w.start !== undefined && w.end !== undefined) {
      add({ id: w.id, kind: 'once', start: w.start, end: w.end, ...match });
    } else {
      problems.push(`${where}: expected \`start\` and \`end\` (one-off) or \`cron\` and \`duration\` (recurring)`);
    }
  }

  // Channel names used by rules, policies and defaults must name a channel or a channel type.
  const known = (name: string) => Object.hasOwn(channels, name) || ['webhook', 'slack', 'email', 'pagerduty'].includes(name);
  const named: Array<[string, string]> = [
    ...(m.notify ?? []).map((n): [string, string] => ['monitoring.notify', n]),
    ...[...rules.values()].flatMap((r) => (r.notify.channels ?? []).map((n): [string, string] => [`AlertRule ${r.id} notify.channels`, n])),
    ...severities.flatMap((s) => (m.escalation?.[s]?.steps ?? []).flatMap((st, i) => st.channels.map((n): [string, string] => [`monitoring.escalation.${s}.steps[${i}]`, n]))),
  ];
  for (const [where, name] of named) {
    if (!known(name)) problems.push(`${where}: there is no channel "${name}"; expected a name under channels: (${Object.keys(channels).join(', ') || 'none defined'}) or a channel type`);
  }

  const servers: MonitorConfig['servers'] = {};
  const server = (name: 'prometheus' | 'loki', doc: QueryServerDoc | undefined) => {
    if (!doc) return;
    const s = guard(`monitoring.${name}`, () => ({
      url: readValue(doc.url, input.env, `monitoring.${name}.url`),
      ...(doc.headers ? { headers: Object.fromEntries(Object.entries(doc.headers).map(([k, v]) => [k, readValue(v, input.env, `monitoring.${name}.headers.${k}`)])) } : {}),
      ...(doc.tenant ? { tenant: doc.tenant } : {}),
    }));
    if (s) servers[name] = s;
  };
  server('prometheus', m.prometheus);
  server('loki', m.loki);

  const ackTimeoutMs = m.acknowledgeTimeout ? guard('monitoring.acknowledgeTimeout', () => parseDuration(m.acknowledgeTimeout!)) : undefined;
  if (problems.length) throw new MonitorConfigError(problems);
  return {
    checks, rules, rulesByCheck: byCheck(rules.values()), channels, locale: input.config.locale ?? 'en', ...(input.config.server?.publicUrl ? { publicUrl: input.config.server.publicUrl } : {}), policies, autoResolve,
    ...(ackTimeoutMs !== undefined ? { ackTimeoutMs } : {}), maintenance, notify: m.notify ?? [], servers,
    historySize: m.historySize ?? 100, killGraceMs: input.killGraceMs,
    pluginDirs: (input.config.plugins ?? []).map((d) => resolve(input.root, d)),
    directory: { people: input.config.people ?? {}, groups: input.config.groups ?? {} },
  };
}

/** A check given both `interval` and `cron`; monitorConfig lists its message among the problems. */
export class CadenceError extends PluginopsError {
  readonly code = 'E_CADENCE';
  readonly kind = 'invalid';
  override name = 'CadenceError';
}

/** A check runs on one cadence; the documents refuse `interval` with `cron` (E_CADENCE). */
function cadenceOf(spec: HealthCheckDoc['spec']): Cadence {
  if (spec.cron !== undefined && spec.interval !== undefined) throw new CadenceError('found both `interval` and `cron`; expected one of them');
  if (spec.cron !== undefined) return { cron: spec.cron };
  return { every: spec.interval ? parseDuration(spec.interval) : defaultCheckEveryMs };
}

/** Reads the window once (a one-off at its own start, which reads both times): true, or what is wrong is thrown. */
function readable(window: MaintenanceWindow): true {
  isActive(window, window.kind === 'once' ? Date.parse(window.start) : 0);
  return true;
}

function byCheck(rules: Iterable<CompiledRule>): Map<string, CompiledRule[]> {
  const out = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const s = rule.source;
    if (s.kind === 'status' || s.kind === 'field') out.set(s.check, [...(out.get(s.check) ?? []), rule]);
  }
  return out;
}

