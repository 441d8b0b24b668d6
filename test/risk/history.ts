// Synthetic histories for the risk tests: runs of a four-step workflow, one every hour, whose
// outcomes follow rules the tests choose.
import type { ChangeSummary } from '../../src/store/risk.ts';
import type { ExecutionRecord, StepRecord } from '../../src/store/types.ts';

export const steps = ['validation', 'build', 'test', 'deploy'] as const;
export const start = Date.parse('2026-11-02T10:00:00Z');
export const hourMs = 3_600_000;

export interface RunSpec {
  status: 'success' | 'failed';
  /** The step that failed (default the last). */
  failedAt?: string;
  /** Steps that passed on their second attempt. */
  retried?: string[];
  plugin?: string;
  change?: ChangeSummary;
  workflow?: string;
}

/** Records of the runs, the i-th created at start + i hours and ended 10 minutes later. */
export function history(specs: readonly RunSpec[]): ExecutionRecord[] {
  return specs.map((s, i) => record(s, start + i * hourMs, i));
}

export function record(s: RunSpec, at: number, i = 0): ExecutionRecord {
  const failedAt = s.status === 'failed' ? s.failedAt ?? 'deploy' : undefined;
  let stopped = false;
  const stepRecords: Record<string, StepRecord> = {};
  for (const id of steps) {
    if (stopped) { stepRecords[id] = { id, status: 'skipped', attempts: 0, outputs: {} }; continue; }
    const failed = id === failedAt;
    if (failed) stopped = true;
    stepRecords[id] = { id, status: failed ? 'failed' : 'success', attempts: s.retried?.includes(id) ? 2 : 1, outputs: {} };
  }
  return {
    id: `run-${String(i).padStart(4, '0')}`, workflow: s.workflow ?? 'deliver', kind: 'Workflow',
    ...(s.plugin ? { pluginId: s.plugin } : {}),
    parameters: {}, status: s.status, createdAt: new Date(at).toISOString(), endedAt: new Date(at + 600_000).toISOString(),
    steps: stepRecords, artifacts: [],
    ...(s.change ? { risk: { score: 0, level: 'low', confidence: 'low', history: 0, factors: [], change: s.change, at: new Date(at).toISOString() } } : {}),
  };
}

export function change(o: Partial<ChangeSummary> = {}): ChangeSummary {
  return {
    base: 'main', head: 'HEAD', files: 1, linesAdded: 5, linesDeleted: 1, manifests: [], dependencyFiles: [],
    codeFiles: 1, testFiles: 1, functions: [], maxComplexity: 0, ...o,
  };
}

/** A deterministic generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const repeat = (n: number, f: (i: number) => RunSpec): RunSpec[] => Array.from({ length: n }, (_, i) => f(i));

/** `n` runs whose failures follow their change: dependency files and untested code fail more often. */
export function generated(seed: number, n: number): RunSpec[] {
  const r = random(seed);
  return repeat(n, (): RunSpec => {
    const deps = r() < 0.25, untested = r() < 0.4, lines = Math.floor(r() ** 2 * 2000);
    const p = 1 / (1 + Math.exp(-(-2.6 + 2.4 * Number(deps) + 1.6 * Number(untested) + 1.2 * (lines / 2000))));
    return {
      status: r() < p ? 'failed' : 'success', failedAt: 'test',
      change: change({ linesAdded: lines, dependencyFiles: deps ? ['requirements.txt'] : [], testFiles: untested ? 0 : 1 }),
    };
  });
}
