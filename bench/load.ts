// Loading and validating a workflow document (`loadText`: YAML with positions, schema, rules),
// which `pluginops run` pays before the first step starts.
import { registry } from '../src/wiring/registry.ts';
import { loadText } from '../src/documents/load.ts';
import { median, sample } from './stats.ts';
import type { Benchmark, BenchContext, Row } from './types.ts';
import { layeredDag, toWorkflowYaml } from './workload.ts';

const sizes = [1_000, 2_000, 4_000];

export const load: Benchmark = {
  id: 'load',
  title: 'Loading and validating a workflow',
  description: [
    `\`loadText()\` on the layered workflow (width 20, 2–3 needs per step) at ${sizes.join(', ')} steps; median of 3 runs`,
    '(2 at the largest size) after one warm-up. The growth exponent is log(T(2n)/T(n)) / log 2: about 1 when loading is linear in the steps,',
    'about 2 when quadratic.',
  ].join('\n'),

  async run(ctx: BenchContext): Promise<Row[]> {
    const rows: Row[] = [];
    const medians: number[] = [];
    for (const n of sizes) {
      const text = toWorkflowYaml(layeredDag(n / 20, 20));
      const samples = await sample(ctx.quick ? 1 : n === sizes[sizes.length - 1] ? 2 : 3, async () => {
        const { diagnostics } = loadText('dag.yml', text, registry);
        if (diagnostics.length) throw new Error(`the generated workflow does not load: ${diagnostics[0]!.message}`);
      }, n === sizes[0] ? 1 : 0);
      medians.push(median(samples));
      rows.push({ name: `loadText, ${n} steps`, value: median(samples), unit: 'ms', samples, note: `${((median(samples) / n) * 1000).toFixed(0)} µs/step` });
      ctx.log(`  loadText ${n} steps: ${median(samples).toFixed(0)} ms`);
    }
    for (let i = 1; i < sizes.length; i++) {
      rows.push({
        name: `growth exponent ${sizes[i - 1]} → ${sizes[i]} steps`,
        value: Math.log(medians[i]! / medians[i - 1]!) / Math.log(sizes[i]! / sizes[i - 1]!), unit: '',
        goal: '≈ 1 (linear)', met: Math.log(medians[i]! / medians[i - 1]!) / Math.log(sizes[i]! / sizes[i - 1]!) < 1.3,
      });
    }
    return rows;
  },
};
