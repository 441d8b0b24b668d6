import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, project, workflow } from './helpers.ts';

const steps = `    - id: build
      run: echo building; echo "artifact=build-\${{ params.v }}" >> "$PLUGINOPS_OUTPUT"
    - id: test
      needs: [build]
      run: test "\${{ steps.build.outputs.artifact }}" = "build-\${{ params.v }}"
    - id: rollback
      needs: [test]
      if: failure()
      run: echo rolled back
`;
const params = '  parameters: { v: { type: number, default: 1 } }\n';

test('run: success exits 0, records the execution, and prints greppable lines without a TTY', async () => {
  const dir = project({ 'pipelines/ship.yml': workflow('ship', steps, params) });
  const r = await cli(['run', 'ship', '-p', 'v=7'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[build\] success in/);
  assert.match(r.stdout, /\[rollback\] skipped: its condition was false/);
  const list = await cli(['executions', 'list', '--json'], dir);
  const [exec] = JSON.parse(list.stdout) as Array<{ id: string; status: string; parameters: unknown; steps: Record<string, { outputs: Record<string, string> }> }>;
  assert.is(exec!.status, 'success');
  assert.equal(exec!.parameters, { v: 7 });
  assert.equal(exec!.steps.build!.outputs, { artifact: 'build-7' });
  const shown = await cli(['executions', 'show', exec!.id], dir);
  assert.match(shown.stdout, /build\s+success\s+attempts=1/);
  const logs = await cli(['executions', 'logs', exec!.id], dir);
  assert.match(logs.stdout, /Z info  \[build\] building\n/);
});

test('run: a failing step exits 1 and the failure() step runs', async () => {
  const dir = project({ 'w.yml': workflow('w', steps.replace('test "', 'false && test "')) });
  const r = await cli(['run', 'w.yml', '--json'], dir);
  assert.is(r.code, 1);
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: string; status?: string });
  assert.equal(events.filter((e) => e.type === 'step.finished').map((e) => [e.step, e.status]), [['build', 'success'], ['test', 'failed'], ['rollback', 'success']]);
  assert.equal(events.at(-1), { ...events.at(-1), type: 'execution.finished', status: 'failed' });
});

test('run --quiet prints nothing; the exit code tells', async () => {
  const dir = project({ 'w.yml': workflow('w', '    - id: a\n      run: echo hi\n') });
  const r = await cli(['run', 'w.yml', '--quiet'], dir);
  assert.is(r.code, 0);
  assert.is(r.stdout, '');
});

test('run: bad parameters and unknown workflows are usage errors', async () => {
  const dir = project({ 'pipelines/ship.yml': workflow('ship', steps, params) });
  const a = await cli(['run', 'ship', '-p', 'v=abc'], dir);
  assert.is(a.code, 2);
  assert.match(a.stderr, 'parameter `v` is "abc", expected a number');
  const b = await cli(['run', 'ship', '-p', 'nope=1'], dir);
  assert.match(b.stderr, 'unknown parameter `nope`');
  const c = await cli(['run', 'shipp'], dir);
  assert.is(c.code, 2);
  assert.match(c.stderr, /no workflow or action plan `shipp`; expected a YAML file or one of: .*ship/);
});

test('run: an invalid workflow is refused before anything runs', async () => {
  const dir = project({ 'w.yml': workflow('w', '    - id: a\n      run: touch ran\n      needs: [a]\n') });
  const r = await cli(['run', 'w.yml'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'w.yml:8:15: E_UNKNOWN_NEEDS step `a` needs itself');
  assert.not.ok(existsSync(join(dir, 'ran')));
});

test('run: an unwritable store is a clear error, and nothing runs', async () => {
  const dir = project({ 'w.yml': workflow('w', '    - id: a\n      run: touch ran\n') });
  writeFileSync(join(dir, 'file'), 'not a directory');
  const r = await cli(['run', 'w.yml', '--store', 'file/store'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /E_STORE_UNWRITABLE/);
  assert.not.match(r.stderr, /\n\s+at /);
  assert.not.ok(existsSync(join(dir, 'ran')));
});

test('run: timed out workflow exits 124', async () => {
  const dir = project({ 'w.yml': workflow('w', '    - id: a\n      run: sleep 5\n', '  timeout: 300ms\n') });
  const r = await cli(['run', 'w.yml'], dir);
  assert.is(r.code, 124);
  assert.match(r.stderr, /execution \S+ timed_out/, 'a timed out run is a failure: stderr');
  assert.not.match(r.stdout, /timed_out/);
});

test('plan: order, decisions and reasons; mermaid', async () => {
  const extra = '  parameters: { env: { default: staging } }\n';
  const s = `    - id: build
      run: make
    - id: deploy
      needs: [build]
      if: params.env == 'production'
      run: deploy
    - id: notify
      needs: [build]
      run: notify
`;
  const dir = project({ 'pipelines/p.yml': workflow('p', s, extra) });
  const text = await cli(['plan', 'p'], dir);
  assert.is(text.code, 0);
  assert.match(text.stdout, /1\. build\s+run\s+run\s+no needs/);
  assert.match(text.stdout, /2\. deploy\s+skip\s+run\s+`if: params.env == 'production'` is false/);
  const prod = await cli(['plan', 'p', '-p', 'env=production', '--format', 'json'], dir);
  const rows = (JSON.parse(prod.stdout) as { steps: Array<{ step: string; decision: string }> }).steps;
  assert.equal(rows.map((r) => [r.step, r.decision]), [['build', 'run'], ['deploy', 'run'], ['notify', 'run']]);
  const mermaid = await cli(['plan', 'p', '--format', 'mermaid'], dir);
  assert.match(mermaid.stdout, 'flowchart TD');
  assert.match(mermaid.stdout, 'build --> deploy');
  assert.match(mermaid.stdout, 'deploy["deploy<br/>run"]:::skipped');
  const list = await cli(['executions', 'list'], dir);
  assert.match(list.stdout, 'no executions');
});

test('stats and cleanup', async () => {
  const dir = project({ 'ok.yml': workflow('ok', '    - id: a\n      run: "true"\n'), 'ko.yml': workflow('ko', '    - id: a\n      run: "false"\n') });
  await cli(['run', 'ok.yml', '-q'], dir);
  await cli(['run', 'ok.yml', '-q'], dir);
  await cli(['run', 'ko.yml', '-q'], dir);
  const s = JSON.parse((await cli(['stats', '--json'], dir)).stdout) as { total: number; successRate: number; byStatus: Record<string, number>; perWorkflow: Record<string, { total: number }> };
  assert.is(s.total, 3);
  assert.ok(Math.abs(s.successRate - 2 / 3) < 1e-9);
  assert.equal(s.byStatus, { success: 2, failed: 1 });
  assert.is(s.perWorkflow.ok!.total, 2);
  const keep = await cli(['cleanup', '--days', '1'], dir);
  assert.match(keep.stdout, 'removed 0 executions');
  const all = await cli(['cleanup', '--days', '0'], dir);
  assert.match(all.stdout, 'removed 3 executions');
  assert.match((await cli(['executions', 'list'], dir)).stdout, 'no executions');
});

test.run();
