// cgroup readings against fixture directories: v2 (cpu.stat `usage_usec`, memory.current), v1
// (cpuacct.usage in ns, memory.usage_in_bytes), v2 preferred when both are there, and the errors:
// no directory, no files, a file that holds no number, a file that cannot be read. Then the
// sampler on a cgroup fixture whose counters the test moves, on a virtual clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessSampler, readCgroupCpu, readCgroupMemory, sampleCgroup } from '../../../src/optimize/sources/process.ts';

let root: string;
function cgroup(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

test.before(() => { root = mkdtempSync(join(tmpdir(), 'pluginops-cgroup-')); });
test.after(() => { rmSync(root, { recursive: true, force: true }); });

const cpuStat = (usec: number) => `usage_usec ${usec}\nuser_usec ${usec - 1000}\nsystem_usec 1000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n`;

test('v2: usage_usec in seconds and memory.current in bytes', async () => {
  const dir = cgroup('v2', { 'cpu.stat': cpuStat(2_500_000), 'memory.current': '104857600\n' });
  assert.equal(await sampleCgroup(dir), { ok: true, reading: { cpuSeconds: 2.5, memoryBytes: 104_857_600 } });
});

test('v1: cpuacct.usage in ns and memory.usage_in_bytes; large counters keep their fraction', async () => {
  const dir = cgroup('v1', { 'cpuacct.usage': '1500000000\n', 'memory.usage_in_bytes': '52428800\n' });
  assert.equal(await sampleCgroup(dir), { ok: true, reading: { cpuSeconds: 1.5, memoryBytes: 52_428_800 } });
  const big = cgroup('v1-big', { 'cpuacct.usage': '98765432109876543210\n' });
  assert.equal(await readCgroupCpu(big), { ok: true, value: 98765432109.87654 });
});

test('v2 files win over v1 ones; cpu and memory are read apart', async () => {
  const both = cgroup('both', { 'cpu.stat': cpuStat(1_000_000), 'cpuacct.usage': '9000000000', 'memory.current': '10', 'memory.usage_in_bytes': '20' });
  assert.equal(await sampleCgroup(both), { ok: true, reading: { cpuSeconds: 1, memoryBytes: 10 } });
  const cpuOnly = cgroup('cpu-only', { 'cpu.stat': cpuStat(3_000_000) });
  assert.equal(await readCgroupCpu(cpuOnly), { ok: true, value: 3 });
  assert.equal(await readCgroupMemory(cpuOnly), { ok: false, error: `the cgroup directory ${cpuOnly} has neither memory.current (cgroup v2) nor memory.usage_in_bytes (v1)` });
});

test('errors in words: no directory, no files, no number, an unreadable file', async () => {
  const missing = join(root, 'nope');
  assert.equal(await sampleCgroup(missing), { ok: false, error: `no cgroup directory at ${missing}` });
  const empty = cgroup('empty', {});
  assert.equal(await readCgroupCpu(empty), { ok: false, error: `the cgroup directory ${empty} has neither cpu.stat (cgroup v2) nor cpuacct.usage (v1)` });
  const noUsage = cgroup('no-usage', { 'cpu.stat': 'nr_periods 0\n', 'memory.current': 'max\n' });
  assert.equal(await readCgroupCpu(noUsage), { ok: false, error: `${join(noUsage, 'cpu.stat')} has no \`usage_usec <number>\` line` });
  assert.equal(await readCgroupMemory(noUsage), { ok: false, error: `${join(noUsage, 'memory.current')} does not hold a whole number (found "max")` });
  const odd = cgroup('odd', {});
  mkdirSync(join(odd, 'memory.current'));
  assert.equal(await readCgroupMemory(odd), { ok: false, error: `cannot read ${join(odd, 'memory.current')}: it is a directory (EISDIR)` });
});

test('the sampler on a cgroup: cores from usage_usec between readings; memory.current as it is', async () => {
  let now = 1_000;
  const dir = cgroup('svc/resizer.service', { 'cpu.stat': cpuStat(5_000_000), 'memory.current': '4096' });
  const clock = { now: () => now };
  const cpu = new ProcessSampler({ cgroup: `${root}/svc/\${{ plugin }}.service`, measure: 'cpu' }, 'resizer', '/elsewhere', { clock });
  const memory = new ProcessSampler({ cgroup: 'svc/${{ plugin }}.service', measure: 'memory' }, 'resizer', root, { clock });
  assert.equal(await cpu.sample(), { ok: true });
  now += 4_000;
  writeFileSync(join(dir, 'cpu.stat'), cpuStat(13_000_000));
  assert.equal(await cpu.sample(), { ok: true, sample: { t: 5_000, v: 2 } });
  assert.equal(await memory.sample(), { ok: true, sample: { t: 5_000, v: 4096 } });
});

test.run();
