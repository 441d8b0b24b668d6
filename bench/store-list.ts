// How long `store.list()` takes over many stored executions: the first call (every file read and
// folded) and the next ones (files unchanged since). Run: node --import tsx bench/store-list.ts [COUNT]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../src/store/file-store.ts';
import { median } from './stats.ts';

const count = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'pluginops-list-bench-'));
const store = await openFileStore(dir);
const at = Date.parse('2026-01-01T00:00:00Z');
for (let i = 0; i < count; i++) {
  const id = `bench-${String(i).padStart(6, '0')}`;
  const created = new Date(at + i * 1000).toISOString(), ended = new Date(at + i * 1000 + 900).toISOString();
  const steps = Object.fromEntries(['build', 'test', 'deploy', 'verify'].map((s) => [s, { id: s, status: 'pending', attempts: 0, outputs: {} }]));
  const lines = [
    { type: 'created', record: { id, workflow: `wf-${i % 7}`, parameters: { plugin: `p${i % 13}` }, status: 'pending', createdAt: created, steps, artifacts: [], needs: { test: ['build'], deploy: ['test'], verify: ['deploy'] } } },
    { type: 'status', status: 'running', at: created },
    ...Object.keys(steps).map((s) => ({ type: 'step', step: { id: s, status: 'success', attempts: 1, startedAt: created, endedAt: ended, durationMs: 200, outputs: { out: 'x'.repeat(40) } } })),
    { type: 'status', status: i % 10 ? 'success' : 'failed', at: ended },
  ];
  writeFileSync(join(dir, 'executions', `${id}.jsonl`), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}
const times: number[] = [], cpu: number[] = [];
for (let run = 0; run < 6; run++) {
  const t0 = performance.now(), c0 = process.cpuUsage();
  const list = await store.list({ status: 'failed', limit: 50 });
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  if (list.length !== Math.min(50, Math.ceil(count / 10))) throw new Error(`listed ${list.length}`);
}
await store.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  executions: count, firstMs: Math.round(times[0]!), nextMedianMs: Math.round(median(times.slice(1))),
  firstCpuMs: Math.round(cpu[0]!), nextMedianCpuMs: Math.round(median(cpu.slice(1))),
}));
