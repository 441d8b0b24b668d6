// The command probe: `sh -c <command>` through the injected Spawner, killed (its whole process
// tree) when the timeout passes. Fields: exitCode, output (the first 64 KiB of stdout and stderr,
// interleaved by line), responseTime (ms until the process exited). A non-zero exit is a
// measurement for the conditions; a process that cannot start or times out is a failed probe.
import type { Spawner } from '../../engine/process/spawn.ts';
import { errorText, maxCapturedBytes, type CheckFields, type ProbeOutcome } from './result.ts';
import { deadline } from './timeout.ts';

export interface CommandProbe {
  command: string;
  timeoutMs: number;
  cwd: string;
  env: Record<string, string>;
}

export interface CommandEdges {
  spawn: Spawner;
  now: () => number;
  signal?: AbortSignal;
  killGraceMs: number;
}

export async function probeCommand(probe: CommandProbe, edges: CommandEdges): Promise<ProbeOutcome> {
  const output = new CappedText(maxCapturedBytes);
  const fields: CheckFields = { exitCode: null, output: '', responseTime: null };
  const limit = deadline(probe.timeoutMs, edges.signal);
  const started = edges.now();
  try {
    const exit = await edges.spawn({
      command: 'sh', args: ['-c', probe.command], cwd: probe.cwd, env: probe.env,
      signal: limit.signal, killGraceMs: edges.killGraceMs, onLine: (_stream, line) => output.add(line),
    });
    fields.responseTime = edges.now() - started;
    fields.exitCode = exit.exitCode;
    fields.output = output.text();
    const cut = limit.reason();
    if (cut) return { ok: false, fields, error: cut };
    if (exit.exitCode === null) return { ok: false, fields, error: `the command was ended by ${exit.signal ?? 'a signal'}` };
    return { ok: true, fields };
  } catch (e) {
    fields.output = output.text();
    return { ok: false, fields, error: errorText(e) };
  } finally {
    limit.dispose();
  }
}

/** Lines joined by newlines, kept up to `max` bytes. */
class CappedText {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  add(line: string): void {
    if (this.size >= this.max) return;
    const piece = this.parts.length ? `\n${line}` : line;
    const room = this.max - this.size;
    const bytes = Buffer.byteLength(piece);
    this.parts.push(bytes <= room ? piece : Buffer.from(piece).subarray(0, room).toString('utf8'));
    this.size += Math.min(bytes, room);
  }
  text(): string { return this.parts.join(''); }
}
