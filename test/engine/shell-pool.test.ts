// The bash worker pool must behave exactly like spawning each step: same environment, output,
// exit codes and signals, cancellation of the whole tree, and no output crossing between steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { shellPool } from '../../src/engine/process/shell-pool.ts';
import { spawnProcess, type SpawnRequest, type SpawnResult, type Spawner } from '../../src/engine/process/spawn.ts';
import { locate, shellCommand } from '../../src/engine/process/shell.ts';
import { simpleCommand } from '../../src/engine/process/direct.ts';

const bash = locate('bash', process.env.PATH);
const dir = mkdtempSync(join(tmpdir(), 'pluginops-pool-'));

async function run(spawner: Spawner, script: string, o: Partial<SpawnRequest> = {}): Promise<SpawnResult & { out: string[]; err: string[] }> {
  const out: string[] = [], err: string[] = [];
  const r = await spawner({
    command: bash, args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], cwd: dir,
    env: { PATH: process.env.PATH!, HOME: '/root' }, signal: new AbortController().signal, killGraceMs: 500,
    onLine: (s, l) => (s === 'stdout' ? out : err).push(l), ...o,
  });
  return { ...r, out, err };
}

const alive = (pid: number) => {
  try { process.kill(pid, 0); } catch { return false; }
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};

test('names bash cannot export (a-b, a.b) still reach the step: that step gets a process of its own', async () => {
  const pool = shellPool(bash, 1);
  const env = { PATH: process.env.PATH!, 'WITH-DASH': 'dash', 'with.dot': 'dot', PLAIN: 'plain' };
  const script = 'env | grep -E "^(WITH-DASH|with.dot|PLAIN)=" | sort';
  const viaPool = await run(pool.spawn, script, { env });
  const direct = await run(spawnProcess, script, { env });
  pool.close();
  assert.equal(viaPool.out, direct.out);
  assert.equal(viaPool.out, ['PLAIN=plain', 'WITH-DASH=dash', 'with.dot=dot']);
});

test('the environment a step sees is the same through the pool as through spawn', async () => {
  const pool = shellPool(bash, 2);
  const env = { PATH: process.env.PATH!, QUOTED: `it's "x" $(id) \`y\` \\ end`, MULTI: 'line 1\nline 2', EMPTY: '', SHLVL: '7' };
  const script = 'env -0 | sort -z | tr "\\0" "\\n" | grep -v "^_="';
  const viaPool = await run(pool.spawn, script, { env });
  const direct = await run(spawnProcess, script, { env });
  pool.close();
  assert.equal(viaPool.out, direct.out);
  assert.ok(viaPool.out.includes(`QUOTED=it's "x" $(id) \`y\` \\ end`));
  assert.ok(viaPool.out.includes('SHLVL=8'));
});

test('a second job on the same worker gets only its own environment', async () => {
  const pool = shellPool(bash, 1);
  await run(pool.spawn, 'true', { env: { PATH: process.env.PATH!, ONLY_FIRST: 'x' } });
  const second = await run(pool.spawn, 'echo "[${ONLY_FIRST-unset}]"', { env: { PATH: process.env.PATH! } });
  pool.close();
  assert.equal(second.out, ['[unset]']);
});

test('exit codes, signals, stdout and stderr lines, a last line without newline, cwd', async () => {
  const pool = shellPool(bash, 2);
  const a = await run(pool.spawn, 'echo out; echo err >&2; printf tail; exit 3');
  assert.equal([a.exitCode, a.signal, a.out, a.err], [3, null, ['out', 'tail'], ['err']]);
  const b = await run(pool.spawn, 'kill -TERM $$');
  assert.equal([b.exitCode, b.signal], [null, 'SIGTERM']);
  const c = await run(pool.spawn, 'pwd');
  assert.equal(c.out, [dir]);
  const d = await run(pool.spawn, 'read -r x || echo "stdin is empty"');
  assert.equal(d.out, ['stdin is empty']);
  pool.close();
});

test('jobs beyond the pool size wait, and all complete', async () => {
  const pool = shellPool(bash, 2);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => run(pool.spawn, `echo ${i}`)));
  pool.close();
  assert.equal(results.map((r) => r.out[0]), Array.from({ length: 10 }, (_, i) => String(i)));
});

test('cancel kills the job\'s whole tree, even a child that ignores SIGTERM', async () => {
  const pool = shellPool(bash, 1);
  const controller = new AbortController();
  const pids = join(dir, 'pids');
  const running = run(pool.spawn, `sleep 30 & echo $! > ${pids}; (trap '' TERM; sleep 30) & echo $! >> ${pids}; wait`, { signal: controller.signal, killGraceMs: 300 });
  for (let i = 0; i < 100; i++) { await delay(30); try { if (readFileSync(pids, 'utf8').trim().split('\n').length === 2) break; } catch { /* not yet */ } }
  const tree = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
  controller.abort();
  const r = await running;
  assert.is(r.signal, 'SIGTERM');
  await delay(800);
  for (const pid of tree) assert.not.ok(alive(pid), `pid ${pid} survived`);
  const after = await run(pool.spawn, 'echo still serving');
  assert.equal(after.out, ['still serving']);
  pool.close();
});

test('output from a process a job left behind never reaches the next job', async () => {
  const pool = shellPool(bash, 1);
  const first = await run(pool.spawn, '(sleep 0.3; echo LATE) & echo first');
  const second = await run(pool.spawn, 'sleep 0.6; echo second');
  pool.close();
  assert.equal(first.out, ['first']);
  assert.equal(second.out, ['second']);
});

test('simple commands run without a shell; anything with shell syntax or a builtin does not', () => {
  const table: Array<[string, string[] | undefined]> = [
    ['true', ['true']],
    ['make -j4 all', ['make', '-j4', 'all']],
    ['echo $HOME', undefined],
    ['echo "a b"', undefined],
    ['a && b', undefined],
    ['cd /tmp', undefined],
    ['exit 1', undefined],
    ['X=1 cmd', undefined],
    ['echo a\necho b', undefined],
    ['ls *.txt', undefined],
  ];
  for (const [script, words] of table) assert.equal(simpleCommand(script), words, script);
  const [program, args] = shellCommand('bash', 'true', process.env.PATH);
  assert.ok(program.endsWith('/true'), program);
  assert.equal(args, []);
  assert.equal(shellCommand('bash', 'no-such-program-here', process.env.PATH)[1].slice(-1), ['no-such-program-here']);
});

test.run();
