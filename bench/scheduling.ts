// The engine's cost per step, without processes: `run:` steps whose spawner is an in-process
// no-op, through runGraph into an in-memory event list, and through execute() into the real
// embedded store.
import { registry } from '../src/wiring/registry.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/engine/clock.ts';
import type { RunEvent } from '../src/engine/events.ts';
import { plan, type StepGraph } from '../src/engine/plan.ts';
import { runGraph, type RunResult } from '../src/engine/runner.ts';
import type { Spawner } from '../src/engine/process/spawn.ts';
import { execute } from '../src/runs/execute.ts';
import type { StepEdges } from '../src/engine/step.ts';
import { openFileStore } from '../src/store/file-store.ts';
import { collectGarbage, median } from './stats.ts';
import type { Benchmark, BenchContext, Row } from './types.ts';
import { chainDag, layeredDag, toWorkflowDoc, wideDag, type Dag } from './workload.ts';

const goalUs = 50;
const maxParallel = 4;

const noopSpawner: Spawner = async () => ({ exitCode: 0, signal: null });

/** The same graph with every step's handler replaced by one that does nothing: the runner alone. */
function withNoopHandlers(graph: StepGraph): StepGraph {
  const steps = graph.steps.map((s) => ({ ...s, definition: { ...s.definition, handler: async () => undefined } }));
  return { ...graph, steps, byId: new Map(steps.map((s) => [s.id, s])) };
}

type Mode = 'memory' | 'store';

export const scheduling: Benchmark = {
  id: 'scheduling',
  title: 'Scheduling overhead per step (in-process, no processes)',
  description: [
    '`run: true` steps whose spawner is the in-process no-op `async () => ({ exitCode: 0, signal: null })`, so no process',
    `starts; max-parallel ${maxParallel}. Graphs are built as document objects and planned with \`plan()\` (not timed).`,
    '"in-memory" runs `runGraph()` with events pushed to an array; "store" runs `execute()` against `openFileStore(<fresh',
    'temp dir>)`, which records every event (opening and closing the store are not timed). Per-step cost =',
    '(median total − median of the same run with a 1-step graph) / steps; the 1-step run is the baseline row. Medians',
    'of 3–7 runs (3 at 10,000 steps), each after a full GC.',
    '"runner only" replaces the `run:` handler by an empty one, which separates the runner loop from the `run:` step\'s',
    'own work (its temp directory). Store rows compare with the same graph in memory; the difference is what recording',
    'costs per step. "bare async pool" is a plain promise pool calling the no-op spawner: the floor for any JS scheduler.',
  ].join('\n'),

  async run(ctx: BenchContext): Promise<Row[]> {
    const workspace = mkdtempSync(join(tmpdir(), 'pluginops-bench-sched-'));
    const storeRoot = mkdtempSync(join(tmpdir(), 'pluginops-bench-store-'));
    const baseEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
    const edges: StepEdges = { clock: systemClock, spawn: noopSpawner, fetch: globalThis.fetch, killGraceMs: 1_000, approvals: { request: async () => undefined } };
    let stores = 0;

    const check = (r: RunResult, steps: number) => {
      if (r.status !== 'success' || r.steps.size !== steps) throw new Error(`benchmark run ended ${r.status} with ${r.steps.size}/${steps} steps settled${r.error ? `: ${r.error}` : ''}`);
    };

    /** One run of `graph`; its wall time in ms. */
    const once = async (graph: StepGraph, mode: Mode): Promise<number> => {
      collectGarbage();
      if (mode === 'memory') {
        const events: RunEvent[] = [];
        const t = performance.now();
        const r = await runGraph({ graph, executionId: 'bench', params: {}, baseEnv, workspace, edges, emit: (e) => { events.push(e); }, maxParallel });
        const ms = performance.now() - t;
        check(r, graph.steps.length);
        return ms;
      }
      const dir = join(storeRoot, `s${stores++}`);
      const store = await openFileStore(dir);
      try {
        const t = performance.now();
        const { result } = await execute({ graph, params: {}, store, edges, workspace, baseEnv, maxParallel });
        const ms = performance.now() - t;
        check(result, graph.steps.length);
        return ms;
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    };

    /**
     * `warmup` unmeasured runs, then at least `min` measured ones, more (up to `max`) while the
     * measured runs have taken less than `budgetMs`.
     */
    const measure = async (graph: StepGraph, mode: Mode, o: { warmup: number; min: number; max: number; budgetMs: number }): Promise<number[]> => {
      for (let i = 0; i < o.warmup; i++) await once(graph, mode);
      const out: number[] = [];
      let spent = 0;
      while (out.length < o.min || (out.length < o.max && spent < o.budgetMs)) {
        const ms = await once(graph, mode);
        out.push(ms);
        spent += ms;
      }
      return out;
    };

    const q = ctx.quick;
    const runsFor = (steps: number) => (q ? { warmup: 0, min: 1, max: 1, budgetMs: 0 }
      : steps >= 10_000 ? { warmup: 0, min: 3, max: 5, budgetMs: 3_000 } : { warmup: 1, min: 3, max: 7, budgetMs: 3_000 });
    const rows: Row[] = [];
    try {
      const baselines = new Map<string, number>();
      const baselineRow = async (mode: Mode, handler: 'run' | 'noop') => {
        const one = plan(toWorkflowDoc({ name: 'one', steps: [{ id: 'only', needs: [] }] }), registry.steps);
        const graph = handler === 'noop' ? withNoopHandlers(one) : one;
        const samples = await measure(graph, mode, { warmup: 5, min: q ? 3 : 21, max: q ? 3 : 21, budgetMs: 0 });
        const name = `baseline: 1-step graph, ${label(mode, handler)}`;
        baselines.set(`${mode}/${handler}`, median(samples));
        rows.push({ name, value: median(samples) * 1000, unit: 'µs', samples: samples.map((s) => s * 1000) });
        ctx.log(`  ${name}: ${(median(samples) * 1000).toFixed(0)} µs`);
        return name;
      };
      const perStepRow = async (dag: Dag, mode: Mode, handler: 'run' | 'noop', baselineName: string, compareTo?: string) => {
        const planned = plan(toWorkflowDoc(dag), registry.steps);
        const graph = handler === 'noop' ? withNoopHandlers(planned) : planned;
        const steps = graph.steps.length;
        const samples = await measure(graph, mode, runsFor(steps));
        const base = baselines.get(`${mode}/${handler}`)!;
        const perStep = (ms: number) => ((ms - base) / steps) * 1000;
        const name = `${dag.name}, ${label(mode, handler)}`;
        const row: Row = {
          name, value: perStep(median(samples)), unit: 'µs/step', baseline: baselineName,
          samples: samples.map(perStep), note: `total ${median(samples).toFixed(0)} ms`,
          // The goal is the engine's; store rows say what recording costs on top.
          ...(mode === 'memory' ? { goal: `≤ ${goalUs} µs/step`, met: perStep(median(samples)) <= goalUs } : {}),
        };
        if (compareTo) {
          const other = rows.find((r) => r.name === compareTo);
          if (other) {
            row.note += `; store adds ${(row.value - other.value).toFixed(1)} µs/step`;
            row.ratio = row.value / other.value;
            row.baseline = compareTo;
          }
        }
        rows.push(row);
        ctx.log(`  ${name}: ${row.value.toFixed(1)} µs/step (total ${median(samples).toFixed(0)} ms)`);
        return name;
      };

      // Warm the JIT on a mid-sized graph before anything is measured.
      await measure(plan(toWorkflowDoc(layeredDag(10, 20)), registry.steps), 'memory', { warmup: 3, min: 0, max: 0, budgetMs: 0 });

      // With the `run:` handler (what a workflow pays per step); its per-step work does not
      // depend on the shape, so 10,000 steps only as layers.
      const memBase = await baselineRow('memory', 'run');
      const memRows = new Map<string, string>();
      for (const dag of [layeredDag(50, 20), chainDag(1_000), wideDag(1_000), layeredDag(500, 20)]) {
        memRows.set(dag.name, await perStepRow(dag, 'memory', 'run', memBase));
      }

      // The runner alone, every shape at both sizes.
      const noopBase = await baselineRow('memory', 'noop');
      const noopRows = new Map<string, string>();
      for (const n of [1_000, 10_000]) {
        for (const dag of [n === 1_000 ? layeredDag(50, 20) : layeredDag(500, 20), chainDag(n), wideDag(n)]) {
          noopRows.set(dag.name, await perStepRow(dag, 'memory', 'noop', noopBase));
        }
      }

      // The store recording every event, compared with the same run into memory.
      const storeBase = await baselineRow('store', 'run');
      await perStepRow(layeredDag(50, 20), 'store', 'run', storeBase, memRows.get(layeredDag(50, 20).name));
      const storeNoopBase = await baselineRow('store', 'noop');
      for (const dag of [layeredDag(50, 20), layeredDag(500, 20)]) {
        await perStepRow(dag, 'store', 'noop', storeNoopBase, noopRows.get(dag.name));
      }

      // The floor: a promise pool over the no-op spawner, nothing else.
      for (const n of [1_000, 10_000]) {
        const samples: number[] = [];
        for (let r = 0; r < (q ? 1 : 7); r++) {
          collectGarbage();
          const t = performance.now();
          let next = 0;
          const worker = async () => { while (next < n) { next++; await noopSpawner(undefined as never); } };
          await Promise.all(Array.from({ length: maxParallel }, worker));
          samples.push(((performance.now() - t) / n) * 1000);
        }
        rows.push({ name: `bare async pool, ${n} no-op calls`, value: median(samples), unit: 'µs/step', samples });
      }
      return rows;
    } finally {
      rmSync(workspace, { recursive: true, force: true });
      rmSync(storeRoot, { recursive: true, force: true });
    }
  },
};

const label = (mode: Mode, handler: 'run' | 'noop') =>
  `${mode === 'memory' ? 'in-memory' : 'store'}, ${handler === 'run' ? '`run:` handler' : 'runner only'}`;
