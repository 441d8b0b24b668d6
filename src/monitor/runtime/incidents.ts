// The incident book: the list of incidents and the decisions around it that need configuration —
// which escalation policy applies, whether a maintenance window silences it, which configured
// channels a policy's names stand for. The incident model itself (incidents/) stays pure; this
// turns its effects into outbox items and log lines.
import { catalogFor, fill } from '../../notify/catalog/index.ts';
import type { Notification } from '../../notify/message.ts';
import type { LogLevel } from '../../store/types.ts';
import { activeWindow, type MaintenanceWindow } from '../alerts/maintenance.ts';
import type { IncidentEffect } from '../incidents/effects.ts';
import { incidentNotification } from '../incidents/effects.ts';
import { escalate, escalateNow, type EscalationPolicy } from '../incidents/escalation.ts';
import {
  acknowledge, note, onAlertFiring, onAlertResolved, resolve, tick, type ChangeResult, type FiringAlert, type Incident, type TimelineEntry,
} from '../incidents/incident.ts';
import { expandChannel } from '../../notify/send.ts';
import { resolveRecipients } from '../../notify/recipients.ts';
import type { MonitorConfig } from './config.ts';
import type { Outbox } from './outbox.ts';

/** Resolved incidents kept for the API and history; older ones are dropped. */
export const keepResolved = 500;

export class IncidentBook {
  /** Grows with every change to the incidents, so the engine knows when the state must be saved at once. */
  version = 0;

  constructor(
    public incidents: Incident[],
    private readonly config: () => MonitorConfig,
    private readonly outbox: Outbox,
    private readonly log: (line: string, level: LogLevel) => void,
    /** Told every timeline entry with the incident it belongs to (the git journal listens here). */
    private readonly onTimeline?: (incident: Incident, entry: TimelineEntry) => void,
    /** Every maintenance window in force: the configured ones and those started at run time (the configured ones when absent). */
    private readonly windows?: () => readonly MaintenanceWindow[],
  ) {}

  get(id: string): Incident | undefined { return this.incidents.find((i) => i.id === id); }
  open(dedupKey: string): Incident | undefined { return this.incidents.find((i) => i.dedupKey === dedupKey && i.status !== 'resolved'); }

  /** An alert fires (or fires at a higher severity): open or join, then escalate. */
  firing(alert: FiringAlert & { dedupKey: string }, at: number): Incident {
    const r = onAlertFiring(this.incidents, alert, at);
    this.incidents = r.incidents;
    this.version++;
    this.perform(r.effects, at);
    return this.escalate(r.incident, at);
  }

  /** The alerts of `dedupKey` stopped firing: auto-resolve is scheduled. */
  stopped(dedupKey: string, at: number): void {
    const incident = this.open(dedupKey);
    if (!incident) return;
    const c = onAlertResolved(incident, at, this.config().autoResolve);
    this.replace(c.incident);
    this.perform(c.effects, at);
  }

  /** A flapping alert: one notification that it flaps, to the channels told at once. */
  flapping(alert: FiringAlert & { dedupKey: string }, ratio: number, at: number): void {
    const incident = this.firing(alert, at);
    const text = fill(catalogFor(this.config().locale).incident.flapping, { ratio: Math.round(ratio * 100) });
    const noted = note(incident, { at, kind: 'joined', text });
    this.replace(noted.incident);
    this.perform(noted.effects, at);
    if (this.silenced(incident, at)) return;
    const base = incidentNotification(noted.incident, 'firing', at, catalogFor(this.config().locale));
    const channels = this.immediate(incident).flatMap((n) => expandChannel(n, this.config().channels));
    this.outbox.enqueue(incident.id, channels, { ...base, text }, at);
  }

  flappingStopped(dedupKey: string, ratio: number, at: number): void {
    const incident = this.open(dedupKey);
    if (!incident) return;
    const noted = note(incident, { at, kind: 'joined', text: `flapping stopped (${Math.round(ratio * 100)}% changes)` });
    this.replace(noted.incident);
    this.perform(noted.effects, at);
  }

  /** What is due: auto-resolves, expired acknowledgements, escalation steps. */
  tick(at: number): void {
    for (const incident of [...this.incidents]) {
      if (incident.status === 'resolved') continue;
      const c = tick(incident, at);
      this.replace(c.incident);
      this.perform(c.effects, at);
      if (c.incident.status === 'open') this.escalate(c.incident, at);
    }
    const resolved = this.incidents.filter((i) => i.status === 'resolved');
    if (resolved.length > keepResolved) {
      const drop = new Set(resolved.slice(0, resolved.length - keepResolved));
      this.incidents = this.incidents.filter((i) => !drop.has(i));
      this.version++;
    }
  }

  acknowledge(id: string, by: string, at: number, timeoutMs?: number, comment?: string): ChangeResult | undefined {
    const incident = this.get(id);
    if (!incident) return undefined;
    const r = acknowledge(incident, by, at, timeoutMs ?? this.config().ackTimeoutMs, comment);
    if (r.ok) { this.replace(r.incident); this.perform(r.effects, at); }
    return r;
  }

  resolve(id: string, by: string, resolution: string, at: number): ChangeResult | undefined {
    const incident = this.get(id);
    if (!incident) return undefined;
    const r = resolve(incident, by, resolution, at);
    if (r.ok) { this.replace(r.incident); this.perform(r.effects, at); }
    return r;
  }

  /** Adds an entry to an incident's timeline (remediation, verification); false for an unknown incident. */
  note(id: string, entry: TimelineEntry): boolean {
    const incident = this.get(id);
    if (!incident) return false;
    const noted = note(incident, entry);
    this.replace(noted.incident);
    this.perform(noted.effects, entry.at);
    return true;
  }

  /** Notifies every escalation step not yet notified, now (a maintenance window still silences it). */
  escalateNow(id: string, at: number): Incident | undefined {
    const incident = this.get(id);
    if (!incident || this.silenced(incident, at)) return incident;
    const c = escalateNow(incident, this.policy(incident), at);
    this.replace(c.incident);
    this.perform(c.effects, at);
    return c.incident;
  }

  /** The policy for an incident: the rule's channels at once, then the severity's steps. */
  policy(incident: Incident): EscalationPolicy | undefined {
    const config = this.config();
    const rule = config.rules.get(incident.ruleId);
    const immediate = this.immediate(incident);
    const severityPolicy = rule?.notify.escalate === false ? undefined : config.policies[incident.severity];
    const steps = [...(immediate.length ? [{ afterMs: 0, channels: immediate }] : []), ...(severityPolicy?.steps ?? [])];
    if (steps.length === 0) return undefined;
    return { id: severityPolicy?.id ?? 'immediate', steps, ...(severityPolicy?.repeat !== undefined ? { repeat: severityPolicy.repeat } : {}) };
  }

  private immediate(incident: Incident): string[] {
    const config = this.config();
    return config.rules.get(incident.ruleId)?.notify.channels ?? config.notify;
  }

  private silenced(incident: Incident, at: number): boolean {
    const window = activeWindow(this.windows?.() ?? this.config().maintenance, at, { ruleId: incident.ruleId, labels: incident.labels });
    return window !== undefined;
  }

  private escalate(incident: Incident, at: number): Incident {
    if (this.silenced(incident, at)) return incident;
    const c = escalate(incident, this.policy(incident), at);
    this.replace(c.incident);
    this.perform(c.effects, at);
    return c.incident;
  }

  private replace(incident: Incident): void {
    if (this.get(incident.id) === incident) return;
    this.version++;
    const i = this.incidents.findIndex((x) => x.id === incident.id);
    if (i >= 0) this.incidents[i] = incident;
    else this.incidents.push(incident);
  }

  private perform(effects: readonly IncidentEffect[], at: number): void {
    const config = this.config();
    const catalog = catalogFor(config.locale);
    for (const e of effects) {
      if (e.kind === 'timeline') {
        this.log(`incident ${e.incidentId}: ${e.entry.kind}: ${e.entry.text}`, 'info');
        const incident = this.onTimeline ? this.get(e.incidentId) : undefined;
        if (incident) this.onTimeline!(incident, e.entry);
        continue;
      }
      const incident = this.get(e.incidentId);
      if (!incident) continue;
      const recipients = e.recipients?.length ? resolveRecipients(e.recipients, config.directory ?? {}) : undefined;
      const notification: Notification = { ...incidentNotification(incident, e.status, at, catalog), ...(recipients ? { recipients } : {}) };
      const channels = e.channels.flatMap((n) => {
        const found = expandChannel(n, config.channels);
        if (found.length === 0) this.log(`incident ${incident.id}: no configured channel for "${n}"; nothing sent there`, 'warn');
        return found;
      });
      this.outbox.enqueue(incident.id, channels, notification, at, e.escalationStep !== undefined ? `step${e.escalationStep + 1}.round${(e.round ?? 0) + 1}` : undefined);
    }
  }
}
