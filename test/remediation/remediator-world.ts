// A monitored service on loopback, a real Monitor on a virtual clock (test/monitor-runtime's world)
// and a Remediator over a fake plan runner whose runs heal the service, do nothing, fail, hang or
// wait for a person's approval. `run` moves the clock the way serve would: the monitor's own
// schedule, then the remediator's tick once a second.
import { registry } from '../../src/wiring/registry.ts';
import { loadDocuments } from '../../src/documents/load.ts';
import type { Incident } from '../../src/monitor/incidents/incident.ts';
import { loadProject } from '../../src/project/load.ts';
import { remediationConfig } from '../../src/remediation/config.ts';
import type { PlanInfo, PlanPort, RunState, StartPlan } from '../../src/remediation/ports.ts';
import { Remediator, type RemediatorEdges } from '../../src/remediation/remediator.ts';
import { fileRemediationLog, remediationLogPath, type RemediationLog } from '../../src/remediation/log.ts';
import { apiDown, sec, world, type World, type WorldOptions } from '../monitor-runtime/helpers.ts';
import { settled } from '../monitor-runtime/settle.ts';

export { min, sec } from '../monitor-runtime/helpers.ts';

/** heal: succeeds and brings the service up; noop: succeeds and changes nothing; fail: fails; hang: never ends. */
export type Behaviour = 'heal' | 'noop' | 'fail' | 'hang';

export interface FakePlan extends PlanInfo { behaviour: Behaviour; durationMs?: number }

interface FakeRun {
  id: string;
  req: StartPlan;
  plan: FakePlan;
  status: RunState['status'];
  endsAt?: number;
  rejectedBy?: string;
  approvedBy?: string;
}

export class FakePlanPort implements PlanPort {
  readonly runs = new Map<string, FakeRun>();
  readonly started: StartPlan[] = [];
  readonly cancelled: string[] = [];
  #next = 1;

  constructor(readonly w: World, readonly catalogue: Map<string, FakePlan>) {}

  plans(): ReadonlyMap<string, PlanInfo> { return this.catalogue; }

  async start(req: StartPlan): Promise<{ id: string }> {
    const plan = this.catalogue.get(req.plan);
    if (!plan) throw new Error(`there is no ActionPlan \`${req.plan}\``);
    const id = `run-${this.#next++}`;
    this.started.push(req);
    const waiting = req.requireApproval === true || plan.approvalRequired;
    this.runs.set(id, { id, req, plan, status: waiting ? 'waiting' : 'running', ...(waiting ? {} : { endsAt: this.w.clock.now() + (plan.durationMs ?? 3 * sec) }) });
    return { id };
  }

  async state(id: string): Promise<RunState | undefined> {
    const run = this.runs.get(id);
    if (!run) return undefined;
    if (run.status === 'running' && run.endsAt !== undefined && this.w.clock.now() >= run.endsAt && run.plan.behaviour !== 'hang') {
      run.status = run.plan.behaviour === 'fail' ? 'failed' : 'success';
      if (run.plan.behaviour === 'heal') this.w.service.mode = 'up';
    }
    return {
      status: run.status, ...(run.rejectedBy ? { rejectedBy: run.rejectedBy, error: `rejected by ${run.rejectedBy}` } : {}),
      ...(run.approvedBy ? { approvedBy: run.approvedBy } : {}),
      ...(run.status === 'failed' && !run.rejectedBy ? { error: 'step restart failed: exit code 1' } : {}),
      ...(run.status === 'success' ? { outputs: { restart: { pid: '4242' } } } : {}),
    };
  }

  async cancel(id: string): Promise<void> {
    const run = this.runs.get(id);
    this.cancelled.push(id);
    if (run) run.status = 'cancelled';
  }

  approve(id: string, by = 'erin'): void {
    const run = this.runs.get(id)!;
    Object.assign(run, { status: 'running', approvedBy: by, endsAt: this.w.clock.now() + (run.plan.durationMs ?? 3 * sec) });
  }

  reject(id: string, by: string): void {
    Object.assign(this.runs.get(id)!, { status: 'cancelled', rejectedBy: by });
  }
}

export const plan = (id: string, behaviour: Behaviour, more: Partial<FakePlan> = {}): FakePlan =>
  ({ id, behaviour, approvalRequired: false, parameters: ['plugin'], ...more });

/** ActionPlan documents for the plans the rules name (the document rules require them). */
export const planDocs = (...ids: string[]): string => ids.map((id) => `---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: ${id} }
spec:
  parameters: { plugin: { type: string } }
  steps: [{ id: act, run: "true" }]
`).join('');

/** test/monitor-runtime's check on the service every 10 s and its critical rule, with `remediate` lines under the rule's spec. */
export const apiWith = (remediate: string[], ruleExtra: string[] = []): string => apiDown([...ruleExtra, ...remediate]);

export interface Healing {
  w: World;
  port: FakePlanPort;
  rem: Remediator;
  /** The file log's path (the file stays empty when `remediationLog` names another log). */
  logPath: string;
  /**
   * Opens a new Remediator on the same log, as serve does when it restarts; with `remediationLog`,
   * on that log instead (another instance of it, as another replica taking over the lead opens it).
   */
  restart(o?: { reopenMonitor?: boolean; remediationLog?: RemediationLog }): Promise<Remediator>;
  /** Opens a Remediator on `log` that nothing drives until it leads (`lead`), as a standby replica's. */
  standby(log: RemediationLog): Promise<Remediator>;
  /** Makes `r` the Remediator the monitor's hook and `run` drive, as when its replica takes the lead. */
  lead(r: Remediator): void;
  /** Moves the clock in 1 s steps: the monitor's schedule, then the remediator's tick. */
  run(ms: number): Promise<void>;
  incident(): Incident;
  timeline(kind?: string): string[];
  close(): Promise<void>;
}

export interface HealingOptions extends Omit<WorldOptions, 'onTimeline'> {
  plans: FakePlan[];
  journal?: RemediatorEdges['journal'];
  /** Run-time controls (self-healing off), as serve hands them to the Remediator. */
  healingControls?: RemediatorEdges['controls'];
  /** The remediation log (the file in the project's store unless given). */
  remediationLog?: RemediationLog;
  compactAtBytes?: number;
}

export async function healing(o: HealingOptions): Promise<Healing> {
  let rem: Remediator | undefined;
  const w = await world({ ...o, onTimeline: (incident, entry) => rem?.onTimeline(incident, entry) });
  const port = new FakePlanPort(w, new Map(o.plans.map((p) => [p.id, p])));
  const project = await loadProject(w.dir);
  const logPath = remediationLogPath(project.storeDir);
  let log = o.remediationLog ?? fileRemediationLog(logPath);
  const loaded = await loadDocuments(project.documentPaths, w.dir, { registry });
  if (loaded.diagnostics.length) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  const config = remediationConfig(project.config, loaded.set);
  const open = (remediationLog = log) => Remediator.open(config, {
    now: () => w.clock.now(), port, monitor: w.monitor, remediationLog, ...(o.compactAtBytes ? { compactAtBytes: o.compactAtBytes } : {}), ...(o.journal ? { journal: o.journal } : {}), ...(o.healingControls ? { controls: o.healingControls } : {}),
    log: (line, level) => w.logs.push({ level, line }),
  });
  rem = await open();
  const h: Healing = {
    w, port, rem, logPath,
    async restart(r = {}) {
      rem = undefined;
      if (r.remediationLog) log = r.remediationLog;
      if (r.reopenMonitor) { await w.monitor.stop(0); await w.reopen(); w.monitor.start(); }
      rem = await open();
      h.rem = rem;
      return rem;
    },
    standby: (other) => open(other),
    lead(r) { rem = r; h.rem = r; },
    async run(ms) {
      for (let t = 0; t < ms; t += sec) {
        await w.clock.advance(Math.min(sec, ms - t));
        await settled(w.monitor);
        await h.rem.tick();
        await h.rem.idle();
        await settled(w.monitor);
      }
    },
    incident: () => w.monitor.incidents().at(-1)!,
    timeline: (kind) => (w.monitor.incidents().at(-1)?.timeline ?? []).filter((e) => kind === undefined || e.kind === kind).map((e) => e.text),
    close: () => w.close(),
  };
  return h;
}
