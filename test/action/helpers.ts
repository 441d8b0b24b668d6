// Runs the bundled action (dist/index.js) as a child process in a simulated runner: INPUT_*
// variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, an event payload, and GITHUB_API_URL
// pointing at a fake GitHub API on loopback.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../cli/helpers.ts';

export interface ActionRun { code: number; stdout: string; stderr: string; outputs: Record<string, string>; summary: string }

export function workspace(...plugins: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-action-'));
  for (const p of plugins) cpSync(join(root, 'examples', 'plugins', p), join(dir, 'plugins', p), { recursive: true });
  return dir;
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]!);
    out[m[1]!] = body.join('\n');
  }
  return out;
}

/** The files the runner gives a step: outputs, job summary, state, env and path files, and the event payload. */
export function runnerFiles(event: object = {}): { output: string; summary: string; state: string; env: string; path: string; event: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-runner-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), state: join(dir, 'state'), env: join(dir, 'env'), path: join(dir, 'path'), event: join(dir, 'event.json') };
  for (const f of [files.output, files.summary, files.state, files.env, files.path]) writeFileSync(f, '');
  writeFileSync(files.event, JSON.stringify(event));
  return files;
}

/** Starts `node <main>` as the runner does (working directory: the workspace) and collects what it left. */
export async function spawnAction(main: string, cwd: string, env: Record<string, string>, files: { output: string; summary: string }): Promise<ActionRun> {
  const child = spawn(process.execPath, [main], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
  return { code, stdout, stderr, outputs: parseOutputFile(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8') };
}

export async function runAction(cwd: string, inputs: Record<string, string>, o: { api?: string; event?: object; eventName?: string; env?: Record<string, string> } = {}): Promise<ActionRun> {
  const files = runnerFiles(o.event);
  const env: Record<string, string> = {
    PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', CI: 'true', GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, GITHUB_EVENT_PATH: files.event, GITHUB_EVENT_NAME: o.eventName ?? 'push',
    GITHUB_REPOSITORY: 'acme/plugins', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567', GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKSPACE: cwd, GITHUB_SERVER_URL: 'https://github.example', GITHUB_RUN_ID: '42',
    ...(o.api ? { GITHUB_API_URL: o.api } : {}), ...o.env,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return spawnAction(join(root, 'dist', 'index.js'), cwd, env, files);
}

/** `::error file=…,line=…,col=…,title=…::message` lines. */
export function annotations(stdout: string): Array<{ level: string; props: Record<string, string>; message: string }> {
  return stdout.split('\n').flatMap((l) => {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(l);
    if (!m) return [];
    const props = Object.fromEntries((m[2] ?? '').trim().split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    return [{ level: m[1]!, props, message: m[3]! }];
  });
}
