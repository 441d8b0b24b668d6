// The CLI as a real process: signals, cancel from another process, a crash, a closed pipe.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cli, cliCommand, cliProcess, pidFile, project, until, workflow } from './helpers.ts';

const slow = workflow('slow', `    - id: work
      run: |
        echo started
        sleep 30 &
        echo $! > child.pid
        wait
    - id: after
      needs: [work]
      run: echo never
`);

/** Alive and not a zombie (an orphan nobody reaped is as good as gone). */
const alive = (pid: number) => {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};


test('SIGINT cancels: the step tree is killed, the execution is recorded cancelled, exit 130', async () => {
  const dir = project({ 'slow.yml': slow });
  const run = cliProcess(['run', 'slow.yml'], dir);
  await until(() => pidFile(dir) !== undefined);
  const pid = pidFile(dir)!;
  assert.ok(alive(pid));
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.is(r.code, 130, r.stderr);
  await until(() => !alive(pid), 3000);
  const [exec] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ status: string; steps: Record<string, { status: string }> }>;
  assert.is(exec!.status, 'cancelled');
  assert.is(exec!.steps.work!.status, 'cancelled');
  assert.is(exec!.steps.after!.status, 'cancelled');
});

test('executions cancel from another process stops a running execution', async () => {
  const dir = project({ 'slow.yml': slow });
  const run = cliProcess(['run', 'slow.yml'], dir);
  await until(() => run.output().includes('[work] started'));
  let exec: { id: string } | undefined;
  await until(async () => { [exec] = JSON.parse((await cli(['executions', 'list', '--json', '--status', 'running'], dir)).stdout) as Array<{ id: string }>; return exec !== undefined; });
  const c = await cli(['executions', 'cancel', exec!.id], dir);
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stdout, `execution ${exec!.id} cancelled`);
  assert.is((await run.done).code, 130);
});

test('a CLI killed with SIGKILL leaves its execution interrupted, not running', async () => {
  const dir = project({ 'slow.yml': slow });
  const run = cliProcess(['run', 'slow.yml'], dir);
  await until(() => pidFile(dir) !== undefined);
  run.child.kill('SIGKILL');
  await run.done;
  try { process.kill(pidFile(dir)!, 'SIGKILL'); } catch { /* gone */ }
  const [exec] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ status: string }>;
  assert.is(exec!.status, 'interrupted');
});

test('executions logs --follow prints lines as they come and stops when the execution ends', async () => {
  const dir = project({ 'ticks.yml': workflow('ticks', '    - id: tick\n      run: for i in 1 2 3; do echo "tick $i"; sleep 0.3; done\n') });
  const run = cliProcess(['run', 'ticks.yml', '--quiet'], dir);
  let exec: { id: string } | undefined;
  await until(async () => { [exec] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ id: string }>; return exec !== undefined; });
  const follow = cliProcess(['executions', 'logs', exec!.id, '--follow'], dir);
  const [r, f] = await Promise.all([run.done, follow.done]);
  assert.is(r.code, 0);
  assert.is(f.code, 0, f.stderr);
  assert.equal(f.stdout.match(/\[tick\] tick \d/g), ['[tick] tick 1', '[tick] tick 2', '[tick] tick 3']);
});

test('piping into head does not crash', () => {
  const dir = project({ 'many.yml': workflow('many', '    - id: a\n      run: seq 1 20000\n') });
  const r = spawnSync('bash', ['-c', `node ${cliCommand.join(' ')} run many.yml | head -3; echo "exit=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.not.match(r.stderr, /EPIPE|Unhandled|\n\s+at /);
  assert.is(r.stdout.split('\n').length, 5);
  assert.match(r.stdout, /exit=0/);
});

test.run();
