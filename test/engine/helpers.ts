// Shared fixtures for the engine tests: workflows from YAML text, a virtual clock that knows its
// next deadline, a fake Spawner on that clock, and two ways to run a graph (all-virtual, or with
// real processes on the system clock). Tests assert on the emitted RunEvents.
import { registry } from '../../src/wiring/registry.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadText } from '../../src/documents/load.ts';
import { VirtualClock, settle, sleep, systemClock, type Clock } from '../../src/engine/clock.ts';
import type { EventOf, RunEvent, RunEventType } from '../../src/engine/events.ts';
import { plan, type StepGraph } from '../../src/engine/plan.ts';
import { runGraph, type RunResult } from '../../src/engine/runner.ts';
import { spawnProcess, type Spawner } from '../../src/engine/process/spawn.ts';
import type { StepStatus } from '../../src/store/types.ts';
import type { StepEdges } from '../../src/engine/step.ts';

// ---------------------------------------------------------------- documents

function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A Workflow whose `spec:` is the given YAML, loaded and checked, then planned. Throws on any diagnostic. */
export function planWorkflow(spec: string, id = 'wf'): StepGraph {
  const body = dedent(spec).split('\n').map((l) => `  ${l}`).join('\n');
  const text = `apiVersion: pluginops/v1\nkind: Workflow\nmetadata:\n  id: ${id}\nspec:\n${body}\n`;
  const { set, diagnostics } = loadText(`${id}.yml`, text, registry);
  if (diagnostics.length > 0) {
    throw new Error(`the test workflow has diagnostics:\n${diagnostics.map((d) => `  ${d.line}:${d.col} ${d.code} ${d.message}`).join('\n')}\n${text}`);
  }
  const loaded = set.Workflow.get(id);
  if (!loaded) throw new Error(`workflow ${id} did not load`);
  return plan(loaded.doc, registry.steps);
}

// ---------------------------------------------------------------- temp dirs

const made: string[] = [];

export function tempDir(prefix = 'pluginops-engine-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** For `test.after`: removes every directory tempDir() made. */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

// ---------------------------------------------------------------- the virtual clock

/**
 * A VirtualClock driven one timer at a time. Timers due together fire in order (time, then
 * creation) with the driver free to let real I/O finish between them, so the order of events
 * does not depend on disk speed. Time itself is the VirtualClock's.
 */
export class TestClock implements Clock {
  readonly virtual = new VirtualClock();
  private readonly due = new Set<TimerEntry>();
  private readonly fired: TimerEntry[] = [];

  now(): number { return this.virtual.now(); }

  setTimer(ms: number, fn: () => void): () => void {
    const entry: TimerEntry = { at: this.now() + Math.max(0, ms), fn, cancelled: false };
    this.due.add(entry);
    const cancel = this.virtual.setTimer(ms, () => { this.due.delete(entry); this.fired.push(entry); });
    return () => { entry.cancelled = true; this.due.delete(entry); cancel(); };
  }

  /** Timers set and neither fired nor cancelled. */
  get pending(): number { return this.due.size + this.fired.filter((e) => !e.cancelled).length; }

  /** Runs the next timer whose time has come; false when none is waiting. */
  fireOne(): boolean {
    for (let e = this.fired.shift(); e; e = this.fired.shift()) {
      if (e.cancelled) continue;
      e.fn();
      return true;
    }
    return false;
  }

  /** Moves virtual time to the next timer (which fireOne then runs); false when no timer is set. */
  async advanceToNext(): Promise<boolean> {
    let best: number | undefined;
    for (const d of this.due) if (best === undefined || d.at < best) best = d.at;
    if (best === undefined) return false;
    await this.virtual.advance(best - this.now());
    return true;
  }
}

interface TimerEntry { at: number; fn: () => void; cancelled: boolean }

// ---------------------------------------------------------------- the fake spawner

export interface SpawnCall {
  step: string;
  /** 1 for the step's first spawn, 2 for its second, … */
  attempt: number;
  /** The script text the shell would have received. */
  script: string;
  env: Record<string, string>;
  at: number;
  /** Fake processes running at this call, this one included. */
  concurrent: number;
}

export interface Outcome {
  exitCode?: number;
  /** Virtual time the "process" runs; Infinity runs until aborted. */
  ms?: number;
  /** Written to $PLUGINOPS_OUTPUT, parsed by the real `run` step. */
  outputs?: string;
  /** Lines the "process" prints on stdout. */
  lines?: string[];
  /** Keeps running after the abort (a process that ignores SIGTERM). */
  ignoreAbort?: boolean;
}

export type Behaviour = (call: SpawnCall) => Outcome;

/** A Spawner on a virtual clock: each call's outcome is chosen by `behaviour`; concurrency is recorded. */
export class FakeSpawner {
  readonly calls: SpawnCall[] = [];
  running = 0;
  maxRunning = 0;
  onEnter: (step: string) => void = () => {};
  onExit: (step: string) => void = () => {};
  private readonly perStep = new Map<string, number>();

  constructor(private readonly clock: Clock, private readonly behaviour: Behaviour) {}

  callsOf(step: string): SpawnCall[] { return this.calls.filter((c) => c.step === step); }

  /** [step, virtual start] of every call, by time and then step id (calls at the same time may enter in any order). */
  timeline(): Array<[string, number]> {
    return this.calls.map((c): [string, number] => [c.step, c.at]).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  }

  readonly spawn: Spawner = async (req) => {
    const step = req.env.PLUGINOPS_STEP_ID ?? '?';
    const attempt = (this.perStep.get(step) ?? 0) + 1;
    this.perStep.set(step, attempt);
    this.onEnter(step);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    const call: SpawnCall = { step, attempt, script: req.args.at(-1) ?? '', env: req.env, at: this.clock.now(), concurrent: this.running };
    this.calls.push(call);
    try {
      const o = this.behaviour(call);
      for (const l of o.lines ?? []) req.onLine('stdout', l);
      if (o.outputs !== undefined) writeFileSync(req.env.PLUGINOPS_OUTPUT!, o.outputs);
      const aborted = await this.pause(o.ms ?? 0, o.ignoreAbort ? undefined : req.signal);
      return aborted ? { exitCode: null, signal: 'SIGTERM' } : { exitCode: o.exitCode ?? 0, signal: null };
    } finally {
      this.running--;
      this.onExit(step);
    }
  };

  /** Resolves true when `signal` aborted the pause. */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    if (ms === Infinity) {
      if (!signal) throw new Error('a fake process that runs forever must honour the abort');
      if (!signal.aborted) await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
      return true;
    }
    if (ms === 0 && !signal?.aborted) return false;
    try { await sleep(this.clock, ms, signal); return false; } catch { return true; }
  }
}

// ---------------------------------------------------------------- running

export interface Run {
  result: RunResult;
  events: RunEvent[];
}

export interface VirtualRun extends Run {
  clock: TestClock;
  spawner: FakeSpawner;
  /** Real milliseconds the run took. */
  realMs: number;
}

export interface VirtualOptions {
  params?: Record<string, unknown>;
  behaviour?: Behaviour;
  maxParallel?: number;
  random?: () => number;
  signal?: AbortSignal;
  killGraceMs?: number;
  /** Called before the run starts, e.g. to schedule an abort on the clock. */
  before?: (clock: TestClock) => void;
  onEvent?: (event: RunEvent, clock: TestClock) => void;
}

/** The graphs here have no approval step: a request is a mistake. */
const noApprovals: StepEdges['approvals'] = { request: () => Promise.reject(new Error('no approval step runs in these tests')) };

/**
 * Runs a graph entirely on virtual time with the fake spawner. The driver fires one deadline at a
 * time, and before each it waits for `run` steps doing real file I/O (the output file) to reach
 * the spawner or to finish, so the order of events does not depend on disk speed.
 */
export async function runVirtual(graph: StepGraph, o: VirtualOptions = {}): Promise<VirtualRun> {
  const clock = new TestClock();
  const spawner = new FakeSpawner(clock, o.behaviour ?? (() => ({})));
  const inIo = new Set<string>();
  spawner.onEnter = (step) => inIo.delete(step);
  spawner.onExit = (step) => inIo.add(step);
  const events: RunEvent[] = [];
  const emit = (e: RunEvent) => {
    events.push(e);
    if (e.type === 'step.started' && graph.byId.get(e.step)?.kind === 'run') inIo.add(e.step);
    if (e.type === 'step.finished' || e.type === 'step.retrying') inIo.delete(e.step);
    o.onEvent?.(e, clock);
  };
  o.before?.(clock);
  const started = performance.now();
  const running = runGraph({
    graph, executionId: 'exec-1', params: o.params ?? {}, baseEnv: { PATH: process.env.PATH! }, workspace: tempDir(),
    edges: { clock, spawn: spawner.spawn, fetch: globalThis.fetch, killGraceMs: o.killGraceMs ?? 200, approvals: noApprovals },
    emit, signal: o.signal, maxParallel: o.maxParallel, random: o.random ?? (() => 0),
  });
  const result = await drive(clock, running, () => inIo.size === 0);
  return { result, events, clock, spawner, realMs: performance.now() - started };
}

async function drive<T>(clock: TestClock, work: Promise<T>, idle: () => boolean): Promise<T> {
  let done = false;
  work.then(() => { done = true; }, () => { done = true; });
  const giveUp = performance.now() + 5_000;
  for (;;) {
    await settle();
    while (!done && !idle()) {
      if (performance.now() > giveUp) throw new Error('a step stayed in file I/O for 5 s');
      await new Promise((r) => setTimeout(r, 1));
      await settle();
    }
    if (done) return work;
    if (clock.fireOne()) continue;
    if (!(await clock.advanceToNext())) throw new Error(`the run is stuck at virtual ${clock.now()}ms: no timer is set and no step is doing I/O`);
  }
}

export interface RealOptions {
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  killGraceMs?: number;
  workspace?: string;
  maxParallel?: number;
}

/** Runs a graph with real processes, the system clock and the global fetch. */
export async function runReal(graph: StepGraph, o: RealOptions = {}): Promise<Run> {
  const events: RunEvent[] = [];
  const result = await runGraph({
    graph, executionId: 'exec-real', params: o.params ?? {}, baseEnv: { PATH: process.env.PATH! },
    workspace: o.workspace ?? tempDir(),
    edges: { clock: systemClock, spawn: spawnProcess, fetch: globalThis.fetch, killGraceMs: o.killGraceMs ?? 500, approvals: noApprovals },
    emit: (e) => events.push(e), signal: o.signal, maxParallel: o.maxParallel,
  });
  return { result, events };
}

// ---------------------------------------------------------------- reading events

export const ofType = <T extends RunEventType>(events: readonly RunEvent[], type: T): Array<EventOf<T>> =>
  events.filter((e): e is EventOf<T> => e.type === type);

export const eventsOf = <T extends RunEventType>(events: readonly RunEvent[], type: T, step: string): Array<EventOf<T>> =>
  ofType(events, type).filter((e) => 'step' in e && e.step === step);

/** The step's terminal event (step.finished or step.skipped). */
export function endOf(events: readonly RunEvent[], step: string): EventOf<'step.finished'> | EventOf<'step.skipped'> | undefined {
  return events.find((e): e is EventOf<'step.finished'> | EventOf<'step.skipped'> =>
    (e.type === 'step.finished' || e.type === 'step.skipped') && e.step === step);
}

/** step → status, from the terminal events. */
export function statuses(events: readonly RunEvent[]): Record<string, StepStatus> {
  const out: Record<string, StepStatus> = {};
  for (const e of events) if (e.type === 'step.finished' || e.type === 'step.skipped') out[e.step] = e.status;
  return out;
}

export const logsOf = (events: readonly RunEvent[], step: string): string[] => eventsOf(events, 'step.log', step).map((e) => e.message);

export const executionEnd = (events: readonly RunEvent[]): EventOf<'execution.finished'> | undefined => ofType(events, 'execution.finished')[0];

/** Every `needs` violation: a step that started before a step it needs had ended. */
export function needsViolations(events: readonly RunEvent[], graph: StepGraph): string[] {
  const ended = new Set<string>();
  const out: string[] = [];
  for (const e of events) {
    if (e.type === 'step.started') {
      for (const n of graph.byId.get(e.step)?.needs ?? []) if (!ended.has(n)) out.push(`${e.step} started before ${n} ended`);
    }
    if (e.type === 'step.finished' || e.type === 'step.skipped') ended.add(e.step);
  }
  return out;
}

/** The largest number of steps between their first step.started and their step.finished at once. */
export function maxConcurrent(events: readonly RunEvent[]): number {
  const running = new Set<string>();
  let max = 0;
  for (const e of events) {
    if (e.type === 'step.started') running.add(e.step);
    if (e.type === 'step.finished') running.delete(e.step);
    max = Math.max(max, running.size);
  }
  return max;
}

// ---------------------------------------------------------------- processes

/**
 * Whether a pid is gone. A killed orphan is re-parented to pid 1; where pid 1 does not reap
 * (some containers), it stays a zombie, which `kill(pid, 0)` still finds: a zombie counts as gone.
 */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it is true or `ms` has passed; returns its last value. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (check()) return true;
    if (performance.now() > end) return false;
    await realSleep(20);
  }
}
