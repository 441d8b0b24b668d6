// The bundled action: its size, and the cold start of a dry run of each template in a simulated
// runner, against `node -e 0` in the same run.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

const templates = ['full_deployment', 'quick_deploy', 'security_focus', 'testing_only'];

function time(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
}

export const action: Benchmark = {
  id: 'action',
  title: 'The GitHub Action bundle: size and cold start',
  description: '`dist/index.js` as the runner starts it (`node dist/index.js`, inputs in `INPUT_*`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files) doing a dry run of each shipped template on `examples/plugins/hello`, against `node -e 0`, interleaved, medians. The ratio is against bare Node start-up in the same run.',
  async run({ root, quick, log }) {
    const work = mkdtempSync(join(tmpdir(), 'pluginops-bench-action-'));
    try {
      cpSync(join(root, 'examples/plugins/hello'), join(work, 'plugins/hello'), { recursive: true });
      const size = statSync(join(root, 'dist/index.js')).size;
      const rounds = quick ? 1 : 9;
      const bare: number[] = [];
      const cold: Record<string, number[]> = Object.fromEntries(templates.map((t) => [t, []]));
      for (let i = 0; i < rounds; i++) {
        bare.push(time(process.execPath, ['-e', '0'], work, process.env));
        for (const t of templates) {
          const out = join(work, 'out'), sum = join(work, 'summary');
          writeFileSync(out, '');
          writeFileSync(sum, '');
          cold[t]!.push(time(process.execPath, [join(root, 'dist/index.js')], work, {
            PATH: process.env.PATH, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: sum, INPUT_WORKFLOW: t, INPUT_PLUGIN: 'plugins/hello', 'INPUT_DRY-RUN': 'true',
          }));
        }
        log(`  round ${i + 1}: node -e 0 ${bare.at(-1)!.toFixed(0)} ms; ${templates.map((t) => `${t} ${cold[t]!.at(-1)!.toFixed(0)} ms`).join(', ')}`);
      }
      const base = median(bare);
      const rows: Row[] = [
        { name: 'dist/index.js size', value: size / 1024 / 1024, unit: 'MiB', goal: '≤ 2 MiB', met: size <= 2 * 1024 * 1024 },
        { name: 'node -e 0', value: base, unit: 'ms', samples: bare },
        ...templates.map((t): Row => {
          const v = median(cold[t]!);
          return { name: `action dry run, ${t}`, value: v, unit: 'ms', samples: cold[t], baseline: 'node -e 0', ratio: v / base, goal: '≤ 3× node -e 0', met: v / base <= 3 };
        }),
      ];
      return rows;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
