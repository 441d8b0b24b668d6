// A `process` metric for one plugin: the plugin's local process (through its pid file) or its
// cgroup, read every `every` while `serve` runs, turned into samples.
//  - memory: resident bytes (VmRSS, or the cgroup's memory.current), one sample per reading;
//  - cpu: cores used between two readings, Δ cpu seconds / Δ wall seconds (1.0 = one core busy).
//    The first reading is only a baseline. A new pid (the process restarted) and a counter that
//    went backwards (a new cgroup) start a new baseline, and so does a failed reading.
// A reading that fails (no pid file, no such process, an unreadable file) comes back as
// `{ ok: false, error }` in words; `sample()` never throws.
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../../documents/duration.ts';
import type { MetricSourceDoc } from '../../documents/schema/optimization.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Sample } from '../analysis/types.ts';
import { readCgroupCpu, readCgroupMemory } from './cgroup.ts';
import { readPidFile, sampleProcess, type Failed, type ProcessReading } from './proc.ts';
import { fillPath } from './template.ts';

export { clockTicksPerSecond, parseStat, parseStatusRss, readPidFile, sampleProcess, type ProcessReading, type StatFields } from './proc.ts';
export { readCgroupCpu, readCgroupMemory, sampleCgroup, type CgroupReading } from './cgroup.ts';

export type ProcessSourceDoc = NonNullable<MetricSourceDoc['process']>;

/** How readings are taken; the Linux files by default, a fake in tests. */
export interface ProcessReaders {
  pidFile(path: string): Promise<{ ok: true; pid: number } | Failed>;
  process(pid: number): Promise<{ ok: true; reading: ProcessReading } | Failed>;
  cgroupCpu(dir: string): Promise<{ ok: true; value: number } | Failed>;
  cgroupMemory(dir: string): Promise<{ ok: true; value: number } | Failed>;
}

export const linuxReaders: ProcessReaders = {
  pidFile: readPidFile,
  process: (pid) => sampleProcess(pid),
  cgroupCpu: readCgroupCpu,
  cgroupMemory: readCgroupMemory,
};

export interface SamplerEdges {
  clock: Pick<Clock, 'now'>;
  readers?: ProcessReaders;
}

/** A reading that gives no sample (a cpu baseline) is `{ ok: true }` with no `sample`. */
export type Sampled = { ok: true; sample?: Sample } | Failed;

export const defaultEveryMs = 15_000;

type Target = { kind: 'pid'; path: string } | { kind: 'cgroup'; dir: string };

interface Baseline { at: number; cpuSeconds: number; pid?: number }

export class ProcessSampler {
  /** How often `sample()` should be called. */
  readonly everyMs: number;
  readonly measure: ProcessSourceDoc['measure'];
  readonly #target: Target | Failed;
  readonly #edges: Required<SamplerEdges>;
  #baseline: Baseline | undefined;

  /** `root`: the project root, which a relative path is read from. */
  constructor(source: ProcessSourceDoc, plugin: string, root: string, edges: SamplerEdges) {
    this.everyMs = source.every === undefined ? defaultEveryMs : parseDuration(source.every);
    this.measure = source.measure;
    this.#edges = { clock: edges.clock, readers: edges.readers ?? linuxReaders };
    this.#target = target(source, plugin, root);
  }

  async sample(): Promise<Sampled> {
    const reading = await this.#read();
    if (!reading.ok) { this.#baseline = undefined; return reading; }
    const { at, value, pid } = reading;
    if (this.measure === 'memory') return { ok: true, sample: { t: at, v: value } };
    const before = this.#baseline;
    const comparable = before !== undefined && pid === before.pid && value >= before.cpuSeconds;
    // No time has passed: keep the older baseline, which gives the next reading a longer span.
    if (comparable && at <= before.at) return { ok: true };
    this.#baseline = pid === undefined ? { at, cpuSeconds: value } : { at, cpuSeconds: value, pid };
    if (!comparable) return { ok: true };
    return { ok: true, sample: { t: at, v: (value - before.cpuSeconds) / ((at - before.at) / 1000) } };
  }

  /** The measured value now: cpu seconds or bytes, with the pid it came from. */
  async #read(): Promise<{ ok: true; at: number; value: number; pid?: number } | Failed> {
    const t = this.#target;
    if ('ok' in t) return t;
    const readers = this.#edges.readers;
    const at = this.#edges.clock.now();
    if (t.kind === 'cgroup') {
      const r = this.measure === 'cpu' ? await readers.cgroupCpu(t.dir) : await readers.cgroupMemory(t.dir);
      return r.ok ? { ok: true, at, value: r.value } : r;
    }
    const pid = await readers.pidFile(t.path);
    if (!pid.ok) return pid;
    const r = await readers.process(pid.pid);
    if (!r.ok) return { ok: false, error: `${r.error} (from the pid file ${t.path})` };
    return { ok: true, at, value: this.measure === 'cpu' ? r.reading.cpuSeconds : r.reading.rssBytes, pid: pid.pid };
  }
}

function target(source: ProcessSourceDoc, plugin: string, root: string): Target | Failed {
  const path = source.pidFile ?? source.cgroup;
  if (path === undefined) return { ok: false, error: 'a process source needs exactly one of `pidFile` or `cgroup`' };
  const filled = fillPath(path, plugin);
  if (!filled.ok) return filled;
  const full = isAbsolute(filled.text) ? filled.text : resolve(root, filled.text);
  return source.pidFile !== undefined ? { kind: 'pid', path: full } : { kind: 'cgroup', dir: full };
}
