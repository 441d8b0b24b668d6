// The cost the failure risk adds to the start of every workflow run: `assessRun` over a store's
// history — the history factors swept once in time order, every past run scored as it would have
// been, the logistic calibration fitted twice (on 70% to judge it, then on all) — for 1,000 and
// 10,000 finished executions of four workflows, with recorded changes, whose failures follow
// their change. The baseline of each row, same run, is what that start already pays to read the
// history: `list({ kind: 'Workflow' })` on an embedded store holding the same executions (warm,
// as a run start finds it). Also shown: the held-out Brier score of the calibration against the
// base rate's, on the same generated history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessRun } from '../src/risk/assess.ts';
import { riskConfig } from '../src/risk/config.ts';
import { openFileStore } from '../src/store/file-store.ts';
import type { ExecutionRecord } from '../src/store/types.ts';
import { median, prng } from './stats.ts';
import type { Benchmark, Row } from './types.ts';

const steps = ['validation', 'build', 'test', 'security_scan', 'deploy', 'monitor'];
const workflows = ['full_deployment', 'quick_deploy', 'testing_only', 'security_focus'];

export function history(n: number, seed: number): ExecutionRecord[] {
  const r = prng(seed);
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const deps = r() < 0.25, untested = r() < 0.4, lines = Math.floor(r() ** 2 * 2000);
    const p = 1 / (1 + Math.exp(-(-2.6 + 2.4 * Number(deps) + 1.6 * Number(untested) + 1.2 * (lines / 2000))));
    const failed = r() < p;
    const at = start + i * 600_000;
    const failAt = failed ? steps[1 + Math.floor(r() * 4)]! : undefined;
    let stopped = false;
    const stepRecords = Object.fromEntries(steps.map((id) => {
      if (stopped) return [id, { id, status: 'skipped' as const, attempts: 0, outputs: {} }];
      if (id === failAt) { stopped = true; return [id, { id, status: 'failed' as const, attempts: 1, outputs: {} }]; }
      return [id, { id, status: 'success' as const, attempts: r() < 0.05 ? 2 : 1, outputs: {} }];
    }));
    return {
      id: `bench-${String(i).padStart(6, '0')}`, workflow: workflows[i % workflows.length]!, kind: 'Workflow', pluginId: `plugin-${i % 7}`,
      parameters: {}, status: failed ? 'failed' : 'success', createdAt: new Date(at).toISOString(), endedAt: new Date(at + 300_000).toISOString(),
      durationMs: 300_000, steps: stepRecords, artifacts: [],
      risk: {
        score: 0, level: 'low', confidence: 'low', history: 0, factors: [], at: new Date(at).toISOString(),
        change: {
          base: 'a'.repeat(40), head: 'b'.repeat(40), files: 1 + Math.floor(lines / 100), linesAdded: lines, linesDeleted: Math.floor(lines / 4),
          manifests: [], dependencyFiles: deps ? ['requirements.txt'] : [], codeFiles: 1, testFiles: untested ? 0 : 1, functions: [], maxComplexity: Math.floor(r() * 15),
        },
      },
    } satisfies ExecutionRecord;
  });
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const risk: Benchmark = {
  id: 'risk',
  title: 'Failure risk: the assessment at a run start, against reading the history it needs',
  description: 'The cost `assessRun` adds to the start of a workflow run over 1,000 and 10,000 finished executions (history factors, every past run scored, the calibration fitted twice), against `list({ kind: \'Workflow\' })` of the same executions from a warm embedded store, which that start already pays. Medians of 7 runs (3 with `--quick`). The Brier rows are the calibration\'s held-out score and the base rate\'s on the same generated history (lower is better).',
  async run(ctx) {
    const rows: Row[] = [];
    const config = riskConfig();
    const reps = ctx.quick ? 3 : 7;
    for (const n of [1_000, 10_000]) {
      const records = history(n, 19);
      const dir = mkdtempSync(join(tmpdir(), 'pluginops-bench-risk-'));
      const store = await openFileStore(join(dir, '.pluginops'));
      try {
        ctx.log(`[risk] writing ${n} executions`);
        for (const r of records) await store.create(r);
        await store.flush();
        await store.list({ kind: 'Workflow' });
        const listed: number[] = [], assessed: number[] = [];
        let brier: { model: number; baseRate: number } | undefined;
        for (let i = 0; i < reps; i++) {
          const l = await time(() => store.list({ kind: 'Workflow' }));
          listed.push(l.ms);
          const a = await time(() => assessRun(l.value, { workflow: 'full_deployment', steps, pluginId: 'plugin-3', now: Date.parse('2027-01-01T00:00:00Z') }, config));
          assessed.push(a.ms);
          brier = a.value.calibration.heldOut?.brier;
        }
        const base = `list ${n.toLocaleString('en-US')} executions`;
        const lm = median(listed), am = median(assessed);
        rows.push({ name: base, value: lm, unit: 'ms', samples: listed });
        rows.push({ name: `assess over ${n.toLocaleString('en-US')} executions`, value: am, unit: 'ms', baseline: base, ratio: am / lm, samples: assessed });
        if (brier && n === 10_000) {
          rows.push({ name: 'Brier score, base rate (held out)', value: brier.baseRate, unit: '' });
          rows.push({ name: 'Brier score, calibrated (held out)', value: brier.model, unit: '', baseline: 'Brier score, base rate (held out)', ratio: brier.model / brier.baseRate, goal: '< 1× the base rate', met: brier.model < brier.baseRate });
        }
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return rows;
  },
};
