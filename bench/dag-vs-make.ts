// 1,000 `true` steps in a layered DAG: `pluginops run` against `make -j` on the same graph, with
// the same parallelism, interleaved so that background noise hits both alike. Node's own spawn
// floor (a bare child_process.spawn loop) is measured alongside.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, timeCommand, type CommandResult } from './stats.ts';
import type { Benchmark, BenchContext, Row } from './types.ts';
import { layeredDag, toMakefile, toWorkflowYaml } from './workload.ts';

const layers = 50, width = 20;
const goalRatio = 1.5;

interface Contender {
  name: string;
  /** Only in the first `maxRounds` rounds (the slow diagnostic rows need fewer samples). */
  maxRounds?: number;
  run(): Promise<CommandResult>;
}

interface Setting {
  n: number;
  minRounds: number;
  maxRounds: number;
  /** Stop adding rounds (beyond minRounds) once the setting has taken this long. */
  budgetMs: number;
  contenders: Contender[];
}

export const dagVsMake: Benchmark = {
  id: 'dag-vs-make',
  title: 'DAG of 1,000 `true` steps: pluginops vs make',
  description: [
    `A layered DAG of ${layers} layers × ${width} steps (${layers * width} steps); every step after the first layer needs 2–3`,
    'steps of the layer before (fixed pseudo-random seed). The same graph is written as a workflow (`run: true`) and as a',
    'Makefile (phony targets, recipe `@true`). Each round runs every contender once, in order (make, pluginops, …), so',
    'noise from other processes spreads over all of them; the value is the median wall time over the rounds, including',
    'process start-up. pluginops runs as `node bin/pluginops.js run dag.yml --quiet --store <fresh dir> --max-parallel N`.',
    '"bare Node spawn" is `bench/spawn-floor.mjs`: a plain `node` process spawning the 1,000 processes with',
    '`child_process.spawn` and no other work, the floor for any Node-based runner that spawns each step itself. "Node + 4',
    'long-lived `sh` workers" is the same script handing each command to one of 4 persistent `sh` processes that fork it',
    '(`sh -c true`): the fork happens in a small process instead of in Node. Note that make runs `true` directly (a recipe',
    'without shell metacharacters needs no shell), whereas pluginops starts a shell per step. "CPU" in the notes is user +',
    'system time of the command and all its children.',
  ].join('\n'),

  async run(ctx: BenchContext): Promise<Row[]> {
    const dag = layeredDag(layers, width);
    const steps = dag.steps.length;
    const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-dag-'));
    try {
      const files = {
        bash: join(dir, 'dag.yml'), sh: join(dir, 'dag-sh.yml'), one: join(dir, 'one.yml'), make: join(dir, 'Makefile'),
      };
      writeFileSync(files.bash, toWorkflowYaml(dag));
      writeFileSync(files.sh, toWorkflowYaml(dag, { shell: 'sh' }));
      writeFileSync(files.one, toWorkflowYaml({ name: 'one', steps: [{ id: 'only', needs: [] }] }));
      writeFileSync(files.make, toMakefile(dag));
      const bin = join(ctx.root, 'bin', 'pluginops.js');
      const floor = join(ctx.root, 'bench', 'spawn-floor.mjs');
      let stores = 0;

      const make = (n: number): Contender => ({
        name: `make -j${n}`,
        run: () => timeCommand('make', ['-j', String(n), '-f', files.make, 'all'], { cwd: dir }),
      });
      const pluginops = (n: number, name: string, file: string, maxRounds?: number): Contender => ({
        name, maxRounds,
        run: async () => {
          const store = join(dir, `store-${stores++}`);
          mkdirSync(store);
          try {
            return await timeCommand(process.execPath, [bin, 'run', file, '--quiet', '--store', store, '--max-parallel', String(n)], { cwd: dir });
          } finally {
            rmSync(store, { recursive: true, force: true });
          }
        },
      });
      const bare = (n: number, name: string, extra: string[], command: string[], maxRounds?: number): Contender => ({
        name, maxRounds,
        run: () => timeCommand(process.execPath, [floor, String(steps), String(n), ...extra, '--', ...command], { cwd: dir }),
      });

      const q = ctx.quick;
      const settings: Setting[] = [
        {
          n: 4, minRounds: q ? 1 : 3, maxRounds: q ? 1 : 5, budgetMs: 100_000,
          contenders: [
            make(4),
            pluginops(4, 'pluginops run (bash), -j4', files.bash),
            pluginops(4, 'pluginops run (shell: sh), -j4', files.sh),
            bare(4, 'bare Node spawn `true`, 4 at a time', [], ['true']),
            bare(4, 'bare Node spawn `bash -c true`, detached + pipes, 4 at a time', ['--detached', '--pipes'],
              ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', 'true'], 3),
            bare(4, 'Node + 4 long-lived `sh` workers running `sh -c true`', ['--sh-workers'], ['true'], 3),
            pluginops(4, 'pluginops start-up (1-step workflow)', files.one, 3),
          ],
        },
        {
          n: 2, minRounds: q ? 1 : 3, maxRounds: q ? 1 : 3, budgetMs: 60_000,
          contenders: [
            make(2),
            pluginops(2, 'pluginops run (bash), -j2', files.bash),
            bare(2, 'bare Node spawn `true`, 2 at a time', [], ['true']),
          ],
        },
      ];

      const rows: Row[] = [];
      for (const s of settings) {
        const times = new Map<string, number[]>(s.contenders.map((c) => [c.name, []]));
        const cpu = new Map<string, number[]>(s.contenders.map((c) => [c.name, []]));
        const started = performance.now();
        for (let round = 0; round < s.maxRounds; round++) {
          if (round >= s.minRounds && performance.now() - started > s.budgetMs) break;
          for (const c of s.contenders) {
            if (c.maxRounds !== undefined && round >= c.maxRounds) continue;
            const { ms, cpuMs } = await c.run();
            times.get(c.name)!.push(ms);
            cpu.get(c.name)!.push(cpuMs);
            ctx.log(`  N=${s.n} round ${round + 1}: ${c.name}: ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms)`);
          }
        }
        const makeName = s.contenders[0]!.name;
        const makeMs = median(times.get(makeName)!);
        for (const c of s.contenders) {
          const samples = times.get(c.name)!;
          const value = median(samples);
          const cpuMs = median(cpu.get(c.name)!);
          const row: Row = { name: c.name, value, unit: 'ms', samples, ...(Number.isFinite(cpuMs) ? { note: `CPU ${cpuMs.toFixed(0)} ms` } : {}) };
          if (c.name !== makeName) {
            row.baseline = makeName;
            row.ratio = value / makeMs;
          }
          if (c.name.startsWith('pluginops run')) {
            row.goal = `≤ ${goalRatio}× make`;
            row.met = row.ratio! <= goalRatio;
          }
          rows.push(row);
        }
        const run = median(times.get(`pluginops run (bash), -j${s.n}`)!);
        const startup = times.get('pluginops start-up (1-step workflow)');
        const startupMs = startup ? median(startup) : undefined;
        rows.push({
          name: `pluginops per step (bash, -j${s.n}${startupMs !== undefined ? ', start-up excluded' : ''})`,
          value: (run - (startupMs ?? 0)) / steps, unit: 'ms/step',
          baseline: makeName, ratio: (run - (startupMs ?? 0)) / makeMs,
          note: `make: ${(makeMs / steps).toFixed(3)} ms/step`,
        });
      }
      ctx.log(`  (${cpus().length} cores)`);
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
