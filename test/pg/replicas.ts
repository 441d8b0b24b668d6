// Several `pluginops serve` replicas on one PostgreSQL database, as real child processes on
// loopback: a project whose store is `store.postgres`, a fast check on a test service, and a
// webhook receiver that records each delivery with its idempotency key and answers after a
// delay, so a test can kill a replica while a send is in flight.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService, type Service } from '../monitor-runtime/helpers.ts';
import { launch, type Launch } from '../serve/process.ts';
import { freshDatabase } from './cluster.ts';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

export const writeToken = 'w-0123456789abcdef0123456789abcdef';

export interface Delivery { path: string; key: string; at: number; answeredAt?: number; body: any }

export interface Hooks {
  url: string;
  deliveries: Delivery[];
  /** Told each delivery as it arrives, before it is answered. */
  onArrive?: (d: Delivery) => void;
  onAnswer?: (d: Delivery) => void;
  delayMs: number;
  close(): Promise<void>;
}

export async function startHooks(delayMs = 200): Promise<Hooks> {
  const hooks: Hooks = { url: '', deliveries: [], delayMs, close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { text += c; });
    req.on('end', () => {
      let body: unknown = text;
      try { body = JSON.parse(text); } catch { /* kept as text */ }
      const d: Delivery = { path: req.url ?? '', key: String(req.headers['idempotency-key'] ?? ''), at: Date.now(), body };
      hooks.deliveries.push(d);
      hooks.onArrive?.(d);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        d.answeredAt = Date.now();
        hooks.onAnswer?.(d);
      }, hooks.delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hooks.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hooks.close = async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); };
  return hooks;
}

export interface Replica { launch: Launch; url: string }

export interface ReplicaWorld {
  dir: string;
  env: Record<string, string>;
  databaseUrl: string;
  service: Service;
  hooks: Hooks;
  start(args?: string[]): Promise<Replica>;
  api(r: Replica, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The replica's role from /readyz, or undefined when it does not answer. */
  role(r: Replica): Promise<'leader' | 'follower' | undefined>;
  close(): Promise<void>;
}

export async function replicaWorld(o: { documents: string; project?: string[]; leaderLease?: string; hookDelayMs?: number }): Promise<ReplicaWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-replicas-'));
  const databaseUrl = await freshDatabase('replicas');
  const service = await startService();
  const hooks = await startHooks(o.hookDelayMs);
  const env = { ...process.env, PLUGINOPS_DATABASE_URL: databaseUrl, API_WRITE: writeToken } as Record<string, string>;
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1',
    'kind: Project',
    'documents: [pipelines]',
    'store:',
    `  postgres: { url: { env: PLUGINOPS_DATABASE_URL }, leaderLease: ${o.leaderLease ?? '1s'} }`,
    'channels:',
    `  hook-a: { type: webhook, url: "${hooks.url}/a" }`,
    `  hook-b: { type: webhook, url: "${hooks.url}/b" }`,
    'server:',
    '  tokens:',
    '    - { name: ci, token: { env: API_WRITE }, scopes: [read, write] }',
    '  grace: 2s',
    ...(o.project ?? []),
  ].join('\n'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'docs.yml'), o.documents.replaceAll('{service}', service.url));
  const started: Replica[] = [];
  const w: ReplicaWorld = {
    dir, env, databaseUrl, service, hooks,
    async start(args = ['--cron', '--port', '0', '--log', 'json']) {
      // The bundle starts in a fraction of the sources' time, and the test restarts replicas often.
      const l = launch(dir, env, args, [bundle]);
      const timer = setTimeout(() => l.child.kill('SIGKILL'), 30_000);
      try {
        const r = { launch: l, url: await l.listening };
        started.push(r);
        return r;
      } finally { clearTimeout(timer); }
    },
    async api(r, method, path, body) {
      const res = await fetch(`${r.url}${path}`, {
        method, headers: { authorization: `Bearer ${writeToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed };
    },
    async role(r) {
      try {
        const res = await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(1_000) });
        const body = await res.json() as { components?: { role?: 'leader' | 'follower' } };
        return body.components?.role;
      } catch { return undefined; }
    },
    async close() {
      for (const r of started) if (r.launch.child.exitCode === null && r.launch.child.signalCode === null) { r.launch.child.kill('SIGKILL'); await r.launch.exited; }
      await Promise.all([service.close(), hooks.close()]);
    },
  };
  return w;
}

export const kill = async (r: Replica): Promise<void> => {
  r.launch.child.kill('SIGKILL');
  await r.launch.exited;
};
