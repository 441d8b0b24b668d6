// `npm run bench [-- --only ID[,ID…]] [--quick] [--no-write]`: runs the benchmark modules, prints
// a results table and updates BENCHMARKS.md. A new benchmark is a module exporting a Benchmark,
// added to the list below.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { action } from './action.ts';
import { alertEval } from './alert-eval.ts';
import { serveLoad } from './serve-load.ts';
import { buildVsTar } from './build-vs-tar.ts';
import { dashboard } from './dashboard.ts';
import { dagBreakdown } from './dag-breakdown.ts';
import { deploySwitch } from './deploy-switch.ts';
import { dagVsMake } from './dag-vs-make.ts';
import { load } from './load.ts';
import { optimization } from './optimization.ts';
import { postgres } from './postgres.ts';
import { risk } from './risk.ts';
import { describeMachine } from './machine.ts';
import { machineLine, renderTable, updateBenchmarksFile } from './report.ts';
import { scheduling } from './scheduling.ts';
import { tasks } from './tasks.ts';
import type { Benchmark, ModuleResult } from './types.ts';

/** In report order. Optional ones run only when named with --only. */
export const benchmarks: Benchmark[] = [dagVsMake, scheduling, load, buildVsTar, deploySwitch, action, alertEval, serveLoad, dashboard, optimization, dagBreakdown, tasks, postgres, risk];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`usage: npm run bench -- [--only ID[,ID...]] [--quick] [--no-write]\nbenchmarks: ${benchmarks.map((b) => b.id + (b.optional ? ' (optional)' : '')).join(', ')}\n--quick: one run each, BENCHMARKS.md left alone; --no-write: leave BENCHMARKS.md alone\n`);
    return 0;
  }
  const only = values.only?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = only?.filter((id) => !benchmarks.some((b) => b.id === id)) ?? [];
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; expected one of: ${benchmarks.map((b) => b.id).join(', ')}\n`);
    return 2;
  }
  const selected = only ? benchmarks.filter((b) => only.includes(b.id)) : benchmarks.filter((b) => !b.optional);
  const machine = describeMachine();
  const date = new Date();
  const log = (m: string) => void process.stderr.write(m + '\n');
  log(`machine: ${machineLine(machine)}`);

  const results: ModuleResult[] = [];
  for (const bench of selected) {
    log(`[${bench.id}] ${bench.title}`);
    const t = performance.now();
    try {
      const rows = await bench.run({ log, root, quick: values.quick });
      results.push({ bench, rows, seconds: (performance.now() - t) / 1000 });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      log(`[${bench.id}] failed: ${e instanceof Error ? e.stack : error}`);
      results.push({ bench, rows: [], seconds: (performance.now() - t) / 1000, error });
    }
  }

  process.stdout.write(renderTable(results));
  if (!values['no-write'] && !values.quick) {
    const file = join(root, 'BENCHMARKS.md');
    updateBenchmarksFile(file, benchmarks.map((b) => b.id), results, machine, date);
    log(`\nwrote ${file}`);
  }
  return results.some((r) => r.error) ? 1 : 0;
}

process.exitCode = await main();
