// Execution files written straight into a store's folder (the layout src/store/file-store.ts
// reads: one JSON-lines file per execution, a `created` record then its final `status`), so a
// benchmark can start `serve` on thousands of past executions in about a second.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from './stats.ts';

const dayMs = 86_400_000;

/** `count` finished executions of a few workflows spread over the `days` days before `now`. */
export function writeExecutions(storeDir: string, o: { count: number; days: number; now: number; seed?: number }): void {
  const dir = join(storeDir, 'executions');
  mkdirSync(dir, { recursive: true });
  for (const sub of ['logs', 'control']) mkdirSync(join(storeDir, sub), { recursive: true });
  const random = prng(o.seed ?? 7);
  const workflows = ['deploy', 'release', 'rollback', 'smoke-test', 'backup', 'rotate-keys'];
  for (let i = 0; i < o.count; i++) {
    const created = o.now - Math.floor(random() * o.days * dayMs);
    const duration = Math.round(500 + random() * 60_000);
    const roll = random();
    const status = roll < 0.85 ? 'success' : roll < 0.95 ? 'failed' : roll < 0.98 ? 'cancelled' : 'timed_out';
    const id = `bench-${i.toString(36).padStart(6, '0')}`;
    const record = {
      id, workflow: workflows[i % workflows.length], kind: 'Workflow', parameters: { plugin: `plugin-${i % 40}` }, status: 'running',
      createdAt: new Date(created).toISOString(), startedAt: new Date(created).toISOString(),
      steps: { build: { id: 'build', status: 'success', attempts: 1, outputs: {} } }, artifacts: [],
    };
    const end = { type: 'status', status, at: new Date(created + duration).toISOString() };
    writeFileSync(join(dir, `${id}.jsonl`), `${JSON.stringify({ type: 'created', record })}\n${JSON.stringify(end)}\n`);
  }
}
