// The process sampler against a real child process that burns CPU (cores from two readings,
// resident memory, "no process" once it is killed), the pid file, a /proc/<pid>/stat table with
// awkward command names, and the sampler's baselines on a virtual clock with fake readers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseStat, ProcessSampler, readPidFile, sampleProcess, type ProcessReaders } from '../../../src/optimize/sources/process.ts';

let dir: string;
let child: ChildProcess;
const clock = { now: () => Date.now() };

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pluginops-process-'));
  // Holds ~20 MB so RSS is clearly above 10 MB, then spins.
  child = spawn(process.execPath, ['-e', 'const keep = Buffer.alloc(20e6, 1); globalThis.keep = keep; for (;;) {}'], { stdio: 'ignore' });
  await once(child, 'spawn');
  writeFileSync(join(dir, 'busy.pid'), `${child.pid}\n`);
  await sleep(200);
});
test.after(() => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('a busy process: cores > 0.3 between two readings ~300 ms apart; the first reading is a baseline', async () => {
  const cpu = new ProcessSampler({ pidFile: 'busy.pid', measure: 'cpu', every: '1s' }, 'busy', dir, { clock });
  assert.is(cpu.everyMs, 1_000);
  assert.equal(await cpu.sample(), { ok: true });
  await sleep(300);
  const r = await cpu.sample();
  if (!r.ok) throw new Error(r.error);
  assert.ok(r.sample !== undefined && r.sample.v > 0.3 && r.sample.v < 1.5, `cores: ${r.sample?.v}`);
});

test('memory: resident bytes of the process, over 10 MB', async () => {
  const memory = new ProcessSampler({ pidFile: '${{ plugin }}.pid', measure: 'memory' }, 'busy', dir, { clock });
  assert.is(memory.everyMs, 15_000);
  const r = await memory.sample();
  if (!r.ok) throw new Error(r.error);
  assert.ok(r.sample !== undefined && r.sample.v > 10 * 1024 * 1024, `rss: ${r.sample?.v}`);
  const direct = await sampleProcess(child.pid!);
  assert.ok(direct.ok && direct.reading.cpuSeconds > 0);
});

test('once the process is killed, the next reading says "no process"', async () => {
  const cpu = new ProcessSampler({ pidFile: 'busy.pid', measure: 'cpu' }, 'busy', dir, { clock });
  assert.equal(await cpu.sample(), { ok: true });
  child.kill('SIGKILL');
  await once(child, 'exit');
  const r = await cpu.sample();
  assert.is(r.ok, false);
  if (!r.ok) assert.match(r.error, new RegExp(`^no process with pid ${child.pid}.* \\(from the pid file ${join(dir, 'busy.pid')}\\)$`));
});

test('pid files: a trimmed positive whole number; otherwise the file and what it holds', async () => {
  const write = (name: string, text: string) => { writeFileSync(join(dir, name), text); return join(dir, name); };
  assert.equal(await readPidFile(write('ok.pid', '  4242 \n')), { ok: true, pid: 4242 });
  assert.equal(await readPidFile(join(dir, 'missing.pid')), { ok: false, error: `no pid file at ${join(dir, 'missing.pid')}` });
  const cases: Array<[string, string]> = [
    ['', 'it is empty'], ['abc', 'found "abc"'], ['0', 'found "0"'], ['-5', 'found "-5"'], ['12 13', 'found "12 13"'], ['99999999999', 'found "99999999999"'],
  ];
  for (const [text, found] of cases) {
    const path = write('bad.pid', text);
    assert.equal(await readPidFile(path), { ok: false, error: `the pid file ${path} does not hold a pid (${found}); expected a positive whole number` }, text);
  }
});

test('/proc/<pid>/stat: the fields after the LAST `)`, whatever the command name holds', () => {
  const tail = 'S 1 100 100 0 -1 4194560 2000 0 0 0 250 50 0 0 20 0 3 0 12345 100000000 2500 18446744073709551615';
  const cases: Array<[string, string]> = [
    ['node', 'node'], ['a) b (c', 'a) b (c'], ['Web Content', 'Web Content'], [')', ')'], ['', ''], ['((x))', '((x))'],
  ];
  for (const [name, comm] of cases) {
    assert.equal(parseStat(`4321 (${name}) ${tail}\n`), { ok: true, stat: { comm, state: 'S', utimeTicks: 250, stimeTicks: 50 } }, name);
  }
  assert.equal(parseStat('4321 no parentheses S 1'), { ok: false, error: 'no command name in parentheses' });
  assert.equal(parseStat('4321 (x) S 1 2 3'), { ok: false, error: 'expected at least 15 fields with utime and stime as whole numbers, found 6' });
});

test('sampleProcess on a fixture /proc: cpu seconds at 100 ticks a second, VmRSS in bytes; a zombie is no process', async () => {
  const proc = join(dir, 'proc');
  const put = (pid: number, stat: string, status: string) => {
    mkdirSync(join(proc, String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), 'stat'), stat);
    writeFileSync(join(proc, String(pid), 'status'), status);
  };
  put(7, '7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 250 50 0 0 20 0 1 0 1 1 1\n', 'Name:\ta) b (c\nVmPeak:\t  9000 kB\nVmRSS:\t  2048 kB\nThreads:\t1\n');
  assert.equal(await sampleProcess(7, proc), { ok: true, reading: { cpuSeconds: 3, rssBytes: 2048 * 1024 } });
  put(8, '8 (z) Z 1 8 8 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 0 0\n', 'Name:\tz\n');
  assert.equal(await sampleProcess(8, proc), { ok: false, error: 'no process with pid 8 running (it has exited)' });
  assert.equal(await sampleProcess(9, proc), { ok: false, error: 'no process with pid 9' });
});

/** Fake readers whose answers the test sets, and a clock the test moves. */
function fakes() {
  const state: { now: number; pid: number; cpu: number; rss: number; fail?: 'pid' | 'process' } = { now: 0, pid: 100, cpu: 0, rss: 0 };
  const readers: ProcessReaders = {
    pidFile: async () => (state.fail === 'pid' ? { ok: false, error: 'no pid file at x.pid' } : { ok: true, pid: state.pid }),
    process: async (pid) => (state.fail === 'process' ? { ok: false, error: `no process with pid ${pid}` } : { ok: true, reading: { cpuSeconds: state.cpu, rssBytes: state.rss } }),
    cgroupCpu: async () => ({ ok: true, value: state.cpu }),
    cgroupMemory: async () => ({ ok: true, value: state.rss }),
  };
  return { state, edges: { clock: { now: () => state.now }, readers } };
}

test('cpu baselines: a new pid, a counter that went back and a failed reading each start again', async () => {
  const { state, edges } = fakes();
  const cpu = new ProcessSampler({ pidFile: 'p.pid', measure: 'cpu' }, 'p', '/project', edges);
  const step = async (dt: number, dcpu: number) => { state.now += dt; state.cpu += dcpu; return cpu.sample(); };
  assert.equal(await step(0, 10), { ok: true });
  assert.equal(await step(2_000, 3), { ok: true, sample: { t: 2_000, v: 1.5 } });
  assert.equal(await step(0, 0), { ok: true }, 'no time passed: no sample');
  assert.equal(await step(1_000, 0.5), { ok: true, sample: { t: 3_000, v: 0.5 } });
  state.pid = 101;
  assert.equal(await step(1_000, -13), { ok: true }, 'restarted: a new baseline');
  assert.equal(await step(1_000, 0.25), { ok: true, sample: { t: 5_000, v: 0.25 } });
  assert.equal(await step(1_000, -0.25), { ok: true }, 'a counter that went back: a new baseline');
  assert.equal(await step(4_000, 2), { ok: true, sample: { t: 10_000, v: 0.5 } });
  state.fail = 'process';
  assert.equal(await step(1_000, 1), { ok: false, error: 'no process with pid 101 (from the pid file /project/p.pid)' });
  state.fail = undefined;
  assert.equal(await step(1_000, 1), { ok: true }, 'after a failure: a new baseline');
  assert.equal(await step(1_000, 1), { ok: true, sample: { t: 13_000, v: 1 } });
  state.fail = 'pid';
  assert.equal(await step(1_000, 1), { ok: false, error: 'no pid file at x.pid' });
});

test('memory samples every reading; a cgroup source reads the cgroup; a bad template is an error from sample()', async () => {
  const { state, edges } = fakes();
  state.rss = 5e8;
  state.now = 42;
  assert.equal(await new ProcessSampler({ cgroup: '/sys/fs/cgroup/${{ plugin }}.service', measure: 'memory', every: '30s' }, 'p', '/project', edges).sample(), { ok: true, sample: { t: 42, v: 5e8 } });
  assert.equal(await new ProcessSampler({ pidFile: '${{ name }}.pid', measure: 'memory' }, 'p', '/project', edges).sample(),
    { ok: false, error: '`${{ name }}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)' });
});

test.run();
