// The self-healing examples under test: temporary git repositories with real `git`, the shipped
// checks and rules of pipelines/self-healing.yml with shorter intervals, and a project around
// them that a real `pluginops serve --cron` runs.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { root } from '../cli/helpers.ts';
import { env as gitEnv } from '../journal/repo.ts';

export { gitEnv };

export const tempDir = (what: string) => mkdtempSync(join(tmpdir(), `pluginops-healing-${what}-`));

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A repository on `main` with one commit (README.md); no user configuration, like a server's. */
export function repoWithCommit(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), 'base\n');
  git(dir, 'add', 'README.md');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'init');
}

export const awsKey = `AKIA${'Q'.repeat(16)}`;

/** Writes the files of the scenario the examples are about: safe ones, secrets, a big file, hostile names. */
export function messyTree(dir: string, safeCount: number): { safe: string[]; secret: string[]; big: string } {
  const safe: string[] = [];
  for (let i = 1; i <= safeCount; i++) {
    const name = `src/file-${i}.txt`;
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, name), `content ${i}\n`);
    safe.push(name);
  }
  writeFileSync(join(dir, '.env'), 'DATABASE_PASSWORD=s3cr3t-value-123\n');
  writeFileSync(join(dir, 'settings.py'), `AWS_KEY = "${awsKey}"\n`);
  writeFileSync(join(dir, 'big.bin'), Buffer.alloc(5 * 1024 * 1024, 7));
  return { safe, secret: ['.env', 'settings.py'], big: 'big.bin' };
}

/** File names that a shell would run, split or take as options. */
export const hostileNames = ['-rf', '--help', 'a b', "q'uote", 'd"quote', '$(touch pwned)', '`touch pwned2`', 'new\nline', ';rm -rf x'];

/** The tree of a commit, as a list of paths (NUL-separated by git, so names with newlines survive). */
export const treeOf = (dir: string, ref: string): string[] =>
  git(dir, 'ls-tree', '-r', '-z', '--name-only', ref).split('\0').filter(Boolean).sort();

export const autosaveBranches = (dir: string): string[] =>
  git(dir, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/pluginops/').split('\n').filter(Boolean);

interface Doc { metadata: { id: string }; spec: Record<string, unknown> }

/** The shipped documents with these ids, each changed by `edit`, as one YAML text. */
export function shipped(edits: Record<string, (spec: Record<string, any>) => void>): string {
  const text = readFileSync(join(root, 'pipelines', 'self-healing.yml'), 'utf8');
  const docs = parseAllDocuments(text).map((d) => d.toJS() as Doc | null).filter((d): d is Doc => d !== null);
  const picked = docs.filter((d) => Object.hasOwn(edits, d.metadata.id));
  if (picked.length !== Object.keys(edits).length) throw new Error(`not all of ${Object.keys(edits).join(', ')} are in pipelines/self-healing.yml`);
  for (const d of picked) edits[d.metadata.id]!(d.spec);
  return picked.map((d) => stringify(d)).join('---\n');
}

export const writeToken = 'w-healing-0123456789abcdef01234567';
export const readToken = 'r-healing-fedcba9876543210fedcba98';

/** A project in `dir` with the webhook channel `ops-hook` (every incident goes there) and API tokens. */
export function writeProject(dir: string, documents: string, hookUrl: string, extra: string[] = []): void {
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1',
    'kind: Project',
    'documents: [ops]',
    'store: { path: .ops-state }',
    'channels:',
    `  ops-hook: { type: webhook, url: "${hookUrl}" }`,
    'server:',
    '  tokens:',
    '    - { name: plugin, token: { env: HEAL_WRITE }, scopes: [read, write] }',
    '    - { name: dashboard, token: { env: HEAL_READ }, scopes: [read] }',
    'monitoring:',
    '  notify: [ops-hook]',
    ...extra,
  ].join('\n'));
  mkdirSync(join(dir, 'ops'), { recursive: true });
  writeFileSync(join(dir, 'ops', 'monitor.yml'), documents);
}

export const serveEnv = (): Record<string, string> => ({ ...gitEnv, HEAL_WRITE: writeToken, HEAL_READ: readToken } as Record<string, string>);

export async function api(url: string, path: string, o: { method?: string; token?: string; body?: unknown } = {}): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method: o.method ?? 'GET',
    headers: { authorization: `Bearer ${o.token ?? readToken}`, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
  });
  const text = await res.text();
  try { return JSON.parse(text); } catch { return text; }
}

export interface DemoPlugin { url: string; stats(): Promise<{ entries: number; clears: number; gcs: number; usedPercent: number }>; stop(): Promise<void> }

/** A port nobody listens on right now (for a plugin whose address must be written before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** examples/self-healing/plugin/server.js as a child process on `port`. */
export async function startDemoPlugin(port: number, env: Record<string, string>): Promise<DemoPlugin> {
  const child = spawn(process.execPath, ['--expose-gc', join(root, 'examples', 'self-healing', 'plugin', 'server.js')], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo plugin did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); if (out.includes('listening on')) { clearTimeout(timer); resolve(); } });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`the demo plugin exited: ${out}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await fetch(`${url}/admin/stats`)).json() as Promise<Awaited<ReturnType<DemoPlugin['stats']>>>,
    async stop() { if (child.exitCode === null) { child.kill('SIGKILL'); await exited; } },
  };
}
