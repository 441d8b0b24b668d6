// Runs the CLI in-process with captured output, and as a real child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `node` arguments that start the CLI from the sources, from any working directory. */
export const cliCommand = ['--import', import.meta.resolve('tsx'), join(root, 'src/cli/index.ts')];

export interface CliRun { code: number; stdout: string; stderr: string }

export async function cli(argv: string[], cwd: string, opts: { signal?: AbortSignal; env?: Record<string, string> } = {}): Promise<CliRun> {
  let stdout = '', stderr = '';
  const code = await main(argv, {
    cwd, env: { PATH: process.env.PATH, ...opts.env }, isTTY: false, signal: opts.signal ?? new AbortController().signal,
    stdout: { write: (t) => { stdout += t; } }, stderr: { write: (t) => { stderr += t; } },
  });
  return { code, stdout, stderr };
}

/** The CLI as users start it: a separate Node process. */
export function cliProcess(argv: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...cliCommand, ...argv], {
    cwd, env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })));
  return { child, done, output: () => stdout };
}

/** A temp project from a map of relative path → file text. */
export function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const workflow = (id: string, steps: string, extra = '') => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: ${id} }
spec:
${extra}  steps:
${steps}`;

/** The pid a test script wrote to `child.pid` in `dir`, once it has. */
export const pidFile = (dir: string): number | undefined => { try { return Number(readFileSync(join(dir, 'child.pid'), 'utf8')) || undefined; } catch { return undefined; } };

/** Polls `check` every 50 ms; fails after `ms` (generous: a CLI process starts slowly on a loaded machine). */
export async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
