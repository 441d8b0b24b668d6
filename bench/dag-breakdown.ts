// Where the time of `pluginops run` on the 1,000-step DAG goes: the same run with one cost taken
// away at a time (in-process, real processes), and the CLI as shipped (tsx) against the same
// sources bundled with esbuild. Optional: `npm run bench -- --only dag-breakdown` (a few minutes).
import { registry } from '../src/wiring/registry.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { systemClock } from '../src/engine/clock.ts';
import { plan, type StepGraph } from '../src/engine/plan.ts';
import { runGraph } from '../src/engine/runner.ts';
import { spawnProcess } from '../src/engine/process/spawn.ts';
import { execute } from '../src/runs/execute.ts';
import type { StepDefinition, StepEdges } from '../src/engine/step.ts';
import { openFileStore } from '../src/store/file-store.ts';
import { collectGarbage, median, timeCommand } from './stats.ts';
import type { Benchmark, BenchContext, Row } from './types.ts';
import { layeredDag, toWorkflowDoc, toWorkflowYaml } from './workload.ts';

const n = 4;

/** The `run:` handler without its per-step temp directory (and so without outputs): spawn and wait. */
function spawnOnly(def: StepDefinition): StepDefinition {
  return {
    ...def,
    async handler(ctx) {
      const inputs = ctx.inputs as { script: string; shell?: 'bash' | 'sh' };
      const [command, args] = inputs.shell === 'sh'
        ? ['sh', ['-e', '-c', inputs.script]]
        : ['bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', inputs.script]];
      const r = await ctx.edges.spawn({
        command, args, cwd: ctx.workspace, env: { ...ctx.env }, signal: ctx.signal, killGraceMs: ctx.edges.killGraceMs,
        onLine: (stream, line) => ctx.log(line, stream === 'stderr' ? 'warn' : 'info'),
      });
      if (r.exitCode !== 0) throw new Error(`the script exited with code ${r.exitCode}`);
    },
  };
}

const withHandlers = (graph: StepGraph, f: (d: StepDefinition) => StepDefinition): StepGraph => {
  const steps = graph.steps.map((s) => ({ ...s, definition: f(s.definition) }));
  return { ...graph, steps, byId: new Map(steps.map((s) => [s.id, s])) };
};

interface Variant {
  name: string;
  baseline?: string;
  run(): Promise<number>;
}

export const dagBreakdown: Benchmark = {
  id: 'dag-breakdown',
  title: 'Where `pluginops run` spends its time on the 1,000-step DAG',
  optional: true,
  description: [
    `The DAG of \`dag-vs-make\`, max-parallel ${n}, real processes. In-process rows run the engine inside this (tsx)`,
    'process with `spawnProcess`, i.e. the CLI without start-up and loading: "as the CLI" is `execute()` with the file',
    'store; each other row removes one cost: `shell: sh` instead of bash, the `run:` handler without its per-step temp',
    'directory (`mkdtemp` + read of `$PLUGINOPS_OUTPUT` + `rm`), or no store (`runGraph()` into memory). CLI rows run',
    'the whole command: as shipped (`bin/pluginops.js` through tsx) and the same sources bundled by esbuild into one',
    'file run by plain `node`. Interleaved rounds; medians.',
  ].join('\n'),

  async run(ctx: BenchContext): Promise<Row[]> {
    const dag = layeredDag(50, 20);
    const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-breakdown-'));
    try {
      // The bundle must sit in a package named pluginops (the CLI looks for its own root).
      const bundleDir = join(dir, 'bundle');
      mkdirSync(join(bundleDir, 'pipelines'), { recursive: true });
      writeFileSync(join(bundleDir, 'package.json'), JSON.stringify({ name: 'pluginops', type: 'module' }));
      await build({
        entryPoints: [join(ctx.root, 'src', 'cli', 'index.ts')], bundle: true, platform: 'node', format: 'esm',
        target: 'node20', outfile: join(bundleDir, 'cli.mjs'), logLevel: 'warning',
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      });
      const work = join(dir, 'work');
      mkdirSync(work);
      writeFileSync(join(work, 'dag.yml'), toWorkflowYaml(dag));
      writeFileSync(join(work, 'one.yml'), toWorkflowYaml({ name: 'one', steps: [{ id: 'only', needs: [] }] }));

      const baseEnv = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
      const edges: StepEdges = { clock: systemClock, spawn: spawnProcess, fetch: globalThis.fetch, killGraceMs: 10_000, approvals: { request: async () => undefined } };
      const bash = plan(toWorkflowDoc(dag), registry.steps);
      const sh = plan(toWorkflowDoc(dag, { shell: 'sh' }), registry.steps);
      let stores = 0;
      const withStore = (graph: StepGraph) => async () => {
        const storeDir = join(dir, `store-${stores++}`);
        const store = await openFileStore(storeDir);
        try {
          collectGarbage();
          const t = performance.now();
          const { result } = await execute({ graph, params: {}, store, edges, workspace: work, baseEnv, maxParallel: n });
          const ms = performance.now() - t;
          if (result.status !== 'success') throw new Error(`run ended ${result.status}`);
          return ms;
        } finally {
          await store.close();
          rmSync(storeDir, { recursive: true, force: true });
        }
      };
      const inMemory = (graph: StepGraph) => async () => {
        collectGarbage();
        const t = performance.now();
        const result = await runGraph({ graph, executionId: 'bench', params: {}, baseEnv, workspace: work, edges, emit: () => undefined, maxParallel: n });
        const ms = performance.now() - t;
        if (result.status !== 'success') throw new Error(`run ended ${result.status}`);
        return ms;
      };
      const cli = (entry: string, file: string) => async () => {
        const store = join(dir, `store-${stores++}`);
        try {
          return (await timeCommand(process.execPath, [entry, 'run', file, '--quiet', '--store', store, '--max-parallel', String(n)], { cwd: work })).ms;
        } finally {
          rmSync(store, { recursive: true, force: true });
        }
      };

      const asCli = 'in-process, as the CLI (bash, temp dir per step, store)';
      const shipped = 'CLI as shipped (tsx), full run';
      const tsxStart = 'CLI as shipped (tsx), 1-step workflow';
      const variants: Variant[] = [
        { name: asCli, run: withStore(bash) },
        { name: 'in-process, `shell: sh`', baseline: asCli, run: withStore(sh) },
        { name: 'in-process, no per-step temp dir', baseline: asCli, run: withStore(withHandlers(bash, spawnOnly)) },
        { name: 'in-process, no store', baseline: asCli, run: inMemory(bash) },
        { name: 'in-process, sh + no temp dir + no store', baseline: asCli, run: inMemory(withHandlers(sh, spawnOnly)) },
        { name: shipped, run: cli(join(ctx.root, 'bin', 'pluginops.js'), 'dag.yml') },
        { name: 'CLI bundled with esbuild, full run', baseline: shipped, run: cli(join(bundleDir, 'cli.mjs'), 'dag.yml') },
        { name: tsxStart, run: cli(join(ctx.root, 'bin', 'pluginops.js'), 'one.yml') },
        { name: 'CLI bundled with esbuild, 1-step workflow', baseline: tsxStart, run: cli(join(bundleDir, 'cli.mjs'), 'one.yml') },
      ];

      const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
      const rounds = ctx.quick ? 1 : 3;
      for (let r = 0; r < rounds; r++) {
        for (const v of variants) {
          const ms = await v.run();
          times.get(v.name)!.push(ms);
          ctx.log(`  round ${r + 1}: ${v.name}: ${ms.toFixed(0)} ms`);
        }
      }
      return variants.map((v) => {
        const samples = times.get(v.name)!;
        const row: Row = { name: v.name, value: median(samples), unit: 'ms', samples };
        if (v.baseline) {
          const base = median(times.get(v.baseline)!);
          row.baseline = v.baseline;
          row.ratio = row.value / base;
          row.note = `${row.value < base ? 'saves' : 'costs'} ${Math.abs(base - row.value).toFixed(0)} ms`;
        }
        return row;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
