// What the `serve` benchmarks share: a loopback HTTP target for the checks, a project with N HTTP
// checks against it, the CLI's `serve` as a child process (bin/pluginops.js: dist/cli.js when
// built, else the sources through tsx), its /metrics parsed, and quantiles.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export interface Metric { name: string; labels: Record<string, string>; value: number }

export function parseMetrics(text: string): Metric[] {
  const out: Metric[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const p of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[p[1]!] = p[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return out;
}

/** The sum of a metric's samples. */
export const metricValue = (ms: readonly Metric[], name: string): number => ms.filter((m) => m.name === name).reduce((a, m) => a + m.value, 0);

export interface Target { url: string; hits(): number; close(): Promise<void> }

/** A loopback server answering every request 200 `{"status":"ok"}`. */
export async function startTarget(): Promise<Target> {
  let hits = 0;
  const server: Server = createServer((req, res) => { hits++; req.resume(); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** A temp project whose `pipelines/checks.yml` has `checks` HTTP checks `c0…` against `target`, and a read token in BENCH_TOKEN. */
export function checksProject(o: { prefix: string; checks: number; intervalS: number; target: string }): string {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pluginops.yml'), ['apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]',
    'server:', '  tokens: [{ name: bench, token: { env: BENCH_TOKEN }, scopes: [read] }]'].join('\n'));
  const docs: string[] = [];
  for (let i = 0; i < o.checks; i++) {
    docs.push(`apiVersion: pluginops/v1\nkind: HealthCheck\nmetadata: { id: c${i} }\nspec:\n  type: http\n  url: "${o.target}/health/${i}"\n  interval: ${o.intervalS}s\n  stagger: ${o.intervalS}s\n  timeout: 5s\n`);
  }
  writeFileSync(join(dir, 'pipelines', 'checks.yml'), docs.join('---\n'));
  return dir;
}

export interface ServeChild { child: ChildProcess; url: string; stop(): Promise<void> }

/** `pluginops serve --cron` in `dir`, once it says where it listens. */
export async function startServe(o: { root: string; dir: string; token: string }): Promise<ServeChild> {
  const child = spawn(process.execPath, [join(o.root, 'bin', 'pluginops.js'), 'serve', '--cron', '--port', '0', '--log', 'json'], {
    cwd: o.dir, env: { ...process.env, BENCH_TOKEN: o.token }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => { if (child.exitCode !== null) r(undefined); else child.once('exit', r); setTimeout(r, 15_000); });
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start within 60 s: ${stderr.slice(0, 500)}`)), 60_000);
      child.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const m = /listening on (http:\/\/[\d.:]+)/.exec(buf);
        if (m) { clearTimeout(timer); resolve(m[1]!); }
        if (buf.length > 1e6) buf = buf.slice(-1e5);
      });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}: ${stderr.slice(0, 500)}`)); });
    });
    child.stdout!.resume();
    return { child, url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
