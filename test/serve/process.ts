// `pluginops serve` started by hand, for what `serveWorld().start` does not keep: the raw stdout
// and stderr (secrets, stack traces), the exit code of a process that never listens, and
// arguments other than `--port 0`. Also requests sent byte for byte (paths with `..` that fetch
// would normalise) and readings of single Prometheus samples.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { cliCommand } from '../cli/helpers.ts';
import type { Proc, ServeWorld } from './helpers.ts';

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

/** A serve process, whether or not it ever listens. */
export interface Launch {
  child: ChildProcess;
  /** Resolves once the process has exited and its output is read. */
  exited: Promise<Exit>;
  /** stdout, one entry per line: the parsed JSON, or `{ raw }` when it is not JSON. */
  lines: Array<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  /** The address from the "listening on" line; rejects when the process exits first. */
  listening: Promise<string>;
}

/** A serve process that listens, usable as `ServeWorld['proc']`. */
export interface Launched extends Proc {
  stdout(): string;
  stderr(): string;
}

/** Starts `pluginops serve ARGS` in `cwd` (from the sources, or with `command`, e.g. the bundle). */
export function launch(cwd: string, env: Record<string, string>, args: string[], command: string[] = cliCommand): Launch {
  const child = spawn(process.execPath, [...command, 'serve', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '', pending = '';
  const lines: Array<Record<string, unknown>> = [];
  let found: ((url: string) => void) | undefined;
  const listening = new Promise<string>((resolve) => { found = resolve; });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  child.stdout!.on('data', (c: Buffer) => {
    const text = c.toString();
    out += text;
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let parsed: Record<string, unknown>;
      try { parsed = JSON.parse(line) as Record<string, unknown>; } catch { parsed = { raw: line }; }
      lines.push(parsed);
      const m = /^listening on (http:\/\/\S+)( \(.*\))?$/.exec(String(parsed.msg ?? ''));
      if (m) found?.(m[1]!);
    }
  });
  // Resolved on 'close', after the last output has been read.
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  const started = Promise.race([
    listening,
    exited.then((x) => { throw new Error(`serve exited ${x.code ?? x.signal} before listening: ${err}`); }),
  ]);
  started.catch(() => undefined);
  return { child, exited, lines, stdout: () => out, stderr: () => err, listening: started };
}

/** Starts serve in `w`'s project with exactly `args` (add `--port 0`) and makes it `w.proc`, so `w.api` talks to it. */
export async function startServe(w: ServeWorld, args: string[]): Promise<Launched> {
  const l = launch(w.dir, w.env, args);
  const timeout = setTimeout(() => l.child.kill('SIGKILL'), 20_000);
  try {
    const url = await l.listening;
    const p: Launched = { child: l.child, url, lines: l.lines, exited: l.exited, stdout: l.stdout, stderr: l.stderr };
    w.proc = p;
    return p;
  } finally {
    clearTimeout(timeout);
  }
}

/** Sends a signal and waits for the exit; fails when it takes longer than `withinMs`. */
export async function stop(p: Proc, signal: NodeJS.Signals, withinMs = 10_000): Promise<Exit & { ms: number }> {
  const t0 = Date.now();
  p.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no exit ${withinMs}ms after ${signal}`)), withinMs); });
  try {
    const x = await Promise.race([p.exited, late]);
    return { ...x, ms: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
  }
}

export interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; text: string; body: any }

/** One request with the path exactly as given (no `..` resolution, no re-encoding). */
export function raw(url: string, method: string, path: string, o: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...o.headers };
    if (o.body !== undefined && !Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) headers['content-length'] = String(Buffer.byteLength(o.body));
    const req = request(`${url}/`, { method, path, headers, signal: AbortSignal.timeout(10_000) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => {
        let body: unknown;
        try { body = JSON.parse(text); } catch { body = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The value of an unlabelled sample, or of the one whose labels are `{labels}` exactly as written. */
export async function sample(url: string, name: string, labels = ''): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  const key = `${name}${labels ? `{${labels}}` : ''} `;
  const line = text.split('\n').find((l) => l.startsWith(key));
  if (line === undefined) throw new Error(`no sample ${key.trim()} in /metrics`);
  return Number(line.slice(key.length));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The `msg` of every log line so far. */
export const messages = (p: Proc): string[] => p.lines.map((l) => String(l.msg ?? l.raw ?? ''));
