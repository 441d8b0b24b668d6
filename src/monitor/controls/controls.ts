// The run-time controls of a running monitor: what people paused, where they turned self-healing
// off, the maintenance windows they started, each change with who, when and why. Every change
// is checked against the configuration of the moment (a check or rule that is not defined is a
// ControlsError E_CONTROL_UNKNOWN), applied (apply.ts), written to the controls file, and only
// then told to `onChange` (serve logs it and commits it to the git journal). Changes are made one
// at a time, in the order asked.
//
// A reload never touches the controls: a control naming a check or rule the new configuration
// no longer has stays recorded and shows `matches: false` until someone removes it.
import type { OneOffWindow } from '../alerts/maintenance.ts';
import {
  checkPause, ControlsError, endMaintenance, healingOff, maintenanceWindows, pause, prune, resume, rulePause, setSelfHealing, startMaintenance,
  type Changed, type MaintenanceInput,
} from './apply.ts';
import type { ControlsFile } from './file.ts';
import { targetName, type ControlChange, type ControlTarget, type ControlsState, type HealingOffRecord, type PauseRecord, type Stamp } from './model.ts';
import { controlsView, type ControlsView, type Known } from './view.ts';

export interface ControlsEdges {
  now: () => number;
  file: ControlsFile;
  /** The checks and rules the configuration defines now. */
  known: () => Known;
  /** Told each change once it is written, with the state after it. */
  onChange?: (change: ControlChange, state: ControlsState) => void;
  /** The project's mask of the moment: a reason is masked before the file, the log or the journal keeps it. */
  mask?: () => (text: string) => string;
}

/** Who makes a change and why. */
export interface Who { by: string; reason: string }

export class Controls {
  #state: ControlsState;
  readonly #edges: ControlsEdges;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(state: ControlsState, edges: ControlsEdges) {
    this.#state = state;
    this.#edges = edges;
  }

  /** The controls the file holds (none when there is no file); a ControlsFileError for a file that is not one. */
  static async open(edges: ControlsEdges): Promise<Controls> {
    return new Controls(await edges.file.load(), edges);
  }

  /** The state now, without pauses and windows whose time is over. */
  get state(): ControlsState {
    this.#state = prune(this.#state, this.#edges.now());
    return this.#state;
  }

  pause(target: ControlTarget, forMs: number | undefined, who: Who): Promise<Changed> {
    return this.#change((s, stamp) => {
      this.#mustKnow(target);
      return pause(s, target, forMs === undefined ? undefined : stamp.at + forMs, stamp);
    }, who);
  }

  resume(target: ControlTarget, who: Who): Promise<Changed> {
    return this.#change((s, stamp) => {
      // A pause of a check or rule a reload removed can still be lifted.
      if (!s.pauses.some((p) => targetName(p.target) === targetName(target))) this.#mustKnow(target);
      return resume(s, target, stamp);
    }, who);
  }

  selfHealing(enabled: boolean, rule: string | undefined, who: Who): Promise<Changed> {
    return this.#change((s, stamp) => {
      if (rule !== undefined && !(enabled && s.selfHealingOff.some((h) => h.rule === rule))) this.#mustKnow({ rule });
      return setSelfHealing(s, enabled, rule, stamp);
    }, who);
  }

  startMaintenance(input: MaintenanceInput, who: Who): Promise<Changed> {
    return this.#change((s, stamp) => {
      for (const check of input.checks ?? []) this.#mustKnow({ check });
      for (const rule of input.rules ?? []) this.#mustKnow({ rule });
      return startMaintenance(s, input, stamp);
    }, who);
  }

  endMaintenance(id: string, who: Who): Promise<Changed> {
    return this.#change((s, stamp) => endMaintenance(s, id, stamp), who);
  }

  /** The pause that keeps a check from running now, if any. */
  checkPaused(id: string): PauseRecord | undefined { return checkPause(this.#state, id, this.#edges.now()); }
  /** The pause that keeps a rule from being evaluated now, if any. */
  rulePaused(id: string): PauseRecord | undefined { return rulePause(this.#state, id, this.#edges.now()); }
  /** Why self-healing does not run for `rule`, if it does not. */
  healingOff(rule: string): HealingOffRecord | undefined { return healingOff(this.#state, rule); }
  /** The maintenance windows started now that are still active, as one-off windows. */
  windows(): OneOffWindow[] { return maintenanceWindows(this.state); }

  view(): ControlsView { return controlsView(this.state, this.#edges.known()); }

  #change(fn: (s: ControlsState, stamp: Stamp) => Changed, who: Who): Promise<Changed> {
    const run = async (): Promise<Changed> => {
      const reason = (this.#edges.mask?.()(who.reason) ?? who.reason).trim();
      if (reason === '') throw new ControlsError('E_CONTROL_INVALID', 'a control change needs a reason: `reason` is empty');
      const changed = fn(this.#state, { by: who.by, at: this.#edges.now(), reason });
      await this.#edges.file.save(changed.state);
      this.#state = changed.state;
      this.#edges.onChange?.(changed.change, changed.state);
      return changed;
    };
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #mustKnow(target: ControlTarget): void {
    const known = this.#edges.known();
    if ('check' in target && !known.checks.has(target.check)) {
      throw new ControlsError('E_CONTROL_UNKNOWN', `no HealthCheck \`${target.check}\` in the configuration; known checks: ${list(known.checks)}`);
    }
    if ('rule' in target && !known.rules.has(target.rule)) {
      throw new ControlsError('E_CONTROL_UNKNOWN', `no AlertRule \`${target.rule}\` in the configuration; known rules: ${list(known.rules)}`);
    }
  }
}

const list = (ids: ReadonlyMap<string, unknown>): string => {
  const all = [...ids.keys()];
  return all.length ? all.slice(0, 20).join(', ') + (all.length > 20 ? ', …' : '') : 'none';
};

/** What the monitor asks of the controls: which checks and rules are paused, which windows were started now. */
export interface RunControls {
  checkPaused(id: string): PauseRecord | undefined;
  rulePaused(id: string): PauseRecord | undefined;
  windows(): readonly OneOffWindow[];
}
