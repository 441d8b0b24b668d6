// One reading of a cgroup's files, read directly: the CPU time its processes have used and the
// memory they hold. cgroup v2 first: `usage_usec` of cpu.stat (µs) and memory.current (bytes);
// when a v2 file is absent, the v1 one: cpuacct.usage (ns) and memory.usage_in_bytes (bytes).
// CPU and memory are read apart (`readCgroupCpu`, `readCgroupMemory`) since a cgroup may have
// one controller and not the other. Errors come back as `{ ok: false, error }`; nothing throws.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { codeOf, reason, type Failed } from './proc.ts';

export interface CgroupReading { cpuSeconds: number; memoryBytes: number }

export async function sampleCgroup(dir: string): Promise<{ ok: true; reading: CgroupReading } | Failed> {
  const cpu = await readCgroupCpu(dir);
  if (!cpu.ok) return cpu;
  const memory = await readCgroupMemory(dir);
  if (!memory.ok) return memory;
  return { ok: true, reading: { cpuSeconds: cpu.value, memoryBytes: memory.value } };
}

type Read = { ok: true; value: number } | Failed;

/** CPU seconds used by the cgroup: cpu.stat `usage_usec`, else cpuacct.usage. */
export async function readCgroupCpu(dir: string): Promise<Read> {
  const v2 = await readCgroupFile(dir, 'cpu.stat');
  if (v2.kind === 'text') {
    const m = /^usage_usec\s+(\d+)\s*$/m.exec(v2.text);
    if (!m) return { ok: false, error: `${join(dir, 'cpu.stat')} has no \`usage_usec <number>\` line` };
    return { ok: true, value: divide(m[1]!, 1_000_000n) };
  }
  if (v2.kind === 'error') return v2.failed;
  const v1 = await readCgroupFile(dir, 'cpuacct.usage');
  if (v1.kind === 'text') return whole(v1.text, join(dir, 'cpuacct.usage'), (n) => divide(n, 1_000_000_000n));
  if (v1.kind === 'error') return v1.failed;
  return absent(dir, 'cpu.stat (cgroup v2) nor cpuacct.usage (v1)');
}

/** Bytes held by the cgroup: memory.current, else memory.usage_in_bytes. */
export async function readCgroupMemory(dir: string): Promise<Read> {
  for (const name of ['memory.current', 'memory.usage_in_bytes']) {
    const file = await readCgroupFile(dir, name);
    if (file.kind === 'text') return whole(file.text, join(dir, name), Number);
    if (file.kind === 'error') return file.failed;
  }
  return absent(dir, 'memory.current (cgroup v2) nor memory.usage_in_bytes (v1)');
}

type CgroupFile = { kind: 'text'; text: string } | { kind: 'absent' } | { kind: 'error'; failed: Failed };

async function readCgroupFile(dir: string, name: string): Promise<CgroupFile> {
  const path = join(dir, name);
  try {
    return { kind: 'text', text: await readFile(path, 'utf8') };
  } catch (e) {
    if (codeOf(e) === 'ENOENT') return { kind: 'absent' };
    return { kind: 'error', failed: { ok: false, error: `cannot read ${path}: ${reason(e)}` } };
  }
}

async function absent(dir: string, which: string): Promise<Failed> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) return { ok: false, error: `no cgroup directory at ${dir}` };
  return { ok: false, error: `the cgroup directory ${dir} has neither ${which}` };
}

/** A file holding one whole number. */
function whole(text: string, path: string, convert: (digits: string) => number): Read {
  const found = text.trim();
  if (!/^\d+$/.test(found)) return { ok: false, error: `${path} does not hold a whole number (found ${JSON.stringify(found.slice(0, 40))})` };
  return { ok: true, value: convert(found) };
}

/** A counter too large for a double's whole numbers (ns past 104 days), divided without losing the fraction. */
function divide(digits: string, by: bigint): number {
  const n = BigInt(digits);
  return Number(n / by) + Number(n % by) / Number(by);
}
