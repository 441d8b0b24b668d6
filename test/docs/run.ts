// The edges the docs test runs blocks on: the built CLI (dist/cli.js) as a child process in a
// temporary project, and a `pluginops serve` started on 127.0.0.1 with port 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../cli/helpers.ts';

export const builtCli = join(root, 'dist', 'cli.js');

export interface Ran { code: number | null; out: string }

/** `node dist/cli.js ARGS` in `cwd`, as CI runs it (no terminal, CI set). */
export function pluginops(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [builtCli, ...args], { cwd, env: { ...process.env, CI: 'true', PLUGINOPS_USER: 'docs', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

export interface Served { url: string; child: ChildProcess; log(): string; stop(): Promise<number | null> }

/** `node dist/cli.js serve ARGS` in `cwd`; resolves once it listens (its "listening on" log line). */
export function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [builtCli, 'serve', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not listen within 60 s: ${log}`)); }, 60_000);
    const onData = (c: Buffer) => {
      log += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.on('data', (d: Buffer) => { log += d.toString(); });
      resolve({
        url: m[1]!, child, log: () => log,
        stop: async () => {
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
          const code = await exited;
          clearTimeout(kill);
          return code;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => { log += c.toString(); });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`serve exited ${code} before listening: ${log}`)); });
  });
}
