// The machine the numbers come from, read at run time.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
  make: string;
  /** 1-minute load average when the bench started: other work on the machine skews the numbers. */
  load: string;
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${osName()} (${osType()} ${release()})`,
    make: firstLine(() => execFileSync('make', ['--version'], { encoding: 'utf8' })) ?? 'not found',
    load: loadavg().map((l) => l.toFixed(2)).join(' / '),
  };
}

function cpuModel(): string {
  const info = firstLine(() => readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('model name')).join('\n'));
  return info?.split(':').slice(1).join(':').trim() || cpus()[0]?.model || 'unknown';
}

function osName(): string {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1] ?? osType();
  } catch {
    return osType();
  }
}

function firstLine(read: () => string): string | undefined {
  try { return read().split('\n')[0]?.trim() || undefined; } catch { return undefined; }
}
