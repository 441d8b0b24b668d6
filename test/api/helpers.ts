// A project on disk (pluginops.yml with API tokens, workflows, a health check and an alert rule),
// a real monitor (memory persistence), a real file store, and the API on a node:http server on
// 127.0.0.1. `call` speaks JSON through fetch; `raw` sends bytes exactly as given through
// node:http (fetch would normalise `../` away).
import { inThreadChecker } from '../../src/api/workflows/checker.ts';
import { registry } from '../../src/wiring/registry.ts';
import { Remediator } from '../../src/remediation/remediator.ts';
import { remediationConfig } from '../../src/remediation/config.ts';
import { remediationLogPath } from '../../src/remediation/log.ts';
import { planPort } from '../../src/serve/plans.ts';
import { loadProjectDocuments } from '../../src/monitor/runtime/load.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock } from '../../src/engine/clock.ts';
import { projectMask } from '../../src/engine/mask.ts';
import { spawnProcess } from '../../src/engine/process/spawn.ts';
import { definedEnv } from '../../src/runs/local.ts';
import { loadMonitorConfig } from '../../src/monitor/runtime/load.ts';
import { Monitor } from '../../src/monitor/runtime/monitor.ts';
import { memoryPersistence } from '../../src/monitor/runtime/state.ts';
import { loadProject, type Project } from '../../src/project/load.ts';
import { createApi, type Api } from '../../src/api/api.ts';
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { RunSupervisor } from '../../src/runs/supervisor.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore, LogLevel } from '../../src/store/types.ts';
import { createStreamSlots } from '../../src/api/stream-slots.ts';

export const tokens = {
  read: 'read-token-3f9a1c2b7d',
  write: 'write-token-8e4d6a0f1b2c3d4e',
  deploy: 'deploy-token-5a6b7c8d9e',
  admin: 'admin-token-1c2d3e4f5a6b',
} as const;
export const secret = 'hunter2-api-secret';

export const defaultServer = [
  'server:',
  '  tokens:',
  '    - { name: ops-reader, token: { env: READ_TOKEN }, scopes: [read] }',
  '    - { name: ops-writer, token: { env: WRITE_TOKEN }, scopes: [read, write] }',
  '    - { name: deployer, token: { env: DEPLOY_TOKEN }, scopes: [write] }',
  '    - { name: ops-admin, token: { env: ADMIN_TOKEN }, scopes: [admin] }',
];

export const workflow = (id: string, steps: string[], extra: string[] = []) => [
  'apiVersion: pluginops/v1', 'kind: Workflow', `metadata: { id: ${id}, name: ${id} workflow }`, 'spec:', ...extra.map((l) => `  ${l}`), '  steps:',
  // One after the other: each step needs the one before it.
  ...steps.flatMap((run, i) => [`    - id: s${i + 1}`, `      run: ${JSON.stringify(run)}`, ...(i > 0 ? [`      needs: [s${i}]`] : [])]),
].join('\n') + '\n';

export const operations = (dir: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: svc }
spec:
  type: command
  command: test -f ${JSON.stringify(join(dir, 'up'))}
  interval: 1m
  timeout: 5s
  failureThreshold: 1
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: svc-down, name: Service down }
spec:
  source: { healthCheck: svc }
  severity: critical
  category: system
`;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  type?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  dir: string;
  url: string;
  env: Record<string, string | undefined>;
  logs: Array<{ line: string; level: string; fields?: Record<string, unknown> }>;
  project: Project;
  monitor: Monitor;
  store: ExecutionStore;
  api: Api;
  /** The run supervisor the API (and the harness's remediator) start runs through. */
  runs: RunSupervisor;
  /** Moves the API's clock (`deps.now`) forward by this many ms. */
  shift: { ms: number };
  call(method: string, path: string, o?: CallOptions): Promise<Reply>;
  raw(method: string, path: string, o?: { headers?: Record<string, string>; body?: Buffer }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Lines of pluginops.yml after `kind: Project` (default: the three tokens). */
  project?: string[];
  /** More files, relative path → text. */
  files?: Record<string, string>;
  /** When set, `monitor()` throws an Error with this message (an unexpected failure). */
  monitorFails?: string;
}

export async function startApi(o: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-server-'));
  const files: Record<string, string> = {
    'pluginops.yml': ['apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]', 'secrets: [API_SECRET]', ...(o.project ?? defaultServer)].join('\n') + '\n',
    'pipelines/ops.yml': operations(dir),
    'pipelines/quick.yml': workflow('quick', ['sleep 0.2; echo x', 'sleep 0.2; echo y']),
    ...o.files,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH, HOME: process.env.HOME, READ_TOKEN: tokens.read, WRITE_TOKEN: tokens.write, DEPLOY_TOKEN: tokens.deploy, ADMIN_TOKEN: tokens.admin, API_SECRET: secret,
  };
  const logs: Harness['logs'] = [];
  const project = await loadProject(dir);
  const monitor = await Monitor.open(await loadMonitorConfig(project, dir, env, registry), {
    clock: systemClock, fetch: globalThis.fetch, spawn: spawnProcess, env: definedEnv(env), persistence: memoryPersistence(),
    log: (line, level) => logs.push({ line, level }), mask: () => projectMask(project.config, env),
  });
  const store = await openFileStore(join(dir, '.pluginops'));
  const startedAt = Date.now();
  const shift = { ms: 0 };
  let remediator: Remediator | undefined;
  const log = (line: string, level: LogLevel, fields?: Record<string, unknown>) => { logs.push({ line, level, ...(fields ? { fields } : {}) }); };
  const runs = new RunSupervisor({ store, project: () => project, registry, cwd: dir, env, clock: systemClock, find: (plan) => findRunnable(project, plan, registry), log });
  const api = createApi({
    version: '0.0.0-test', now: () => Date.now() + shift.ms, store, runs, remediation: () => remediator!,
    monitor: () => { if (o.monitorFails) throw new Error(o.monitorFails); return monitor; }, project: () => project, env, cwd: dir,
    status: () => ({ scheduler: 'off', configLoadedAt: startedAt, startedAt }),
    log, registry, documents: inThreadChecker(registry), streams: createStreamSlots(),
  });
  remediator = await Remediator.open(remediationConfig(project.config, await loadProjectDocuments(project, dir, registry)), {
    now: Date.now, port: planPort(runs, store, () => new Map()), monitor, logPath: remediationLogPath(join(dir, '.pluginops')),
    log: (line, level) => logs.push({ line, level }),
  });
  const server: Server = createServer((req, res) => { void api.handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call: Harness['call'] = async (method, path, c = {}) => {
    const headers: Record<string, string> = { ...c.headers };
    if (c.token !== undefined) headers.authorization = `Bearer ${c.token}`;
    let body: string | undefined = c.body;
    if (c.json !== undefined) { body = JSON.stringify(c.json); headers['content-type'] = 'application/json'; }
    if (c.type !== undefined) headers['content-type'] = c.type;
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };

  const raw: Harness['raw'] = (method, path, r = {}) => new Promise((resolve, reject) => {
    const headers = { ...r.headers };
    // Framed like a client would (a GET is not chunked by default).
    if (r.body && !Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) headers['content-length'] = String(r.body.length);
    const req = request(url + '/', { method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    // The server may answer (413) and stop reading before the body is sent; that is not a failure here.
    req.on('error', (e) => reject(e));
    req.end(r.body);
  });

  return {
    dir, url, env, logs, project, monitor, store, api, runs, shift, call, raw,
    async close() {
      await runs.stop(0);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await monitor.stop(0);
      await store.close();
    },
  };
}

/** Polls until `check` holds (or fails after `ms`). */
export async function until(check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The events of a server-sent event stream. */
export function parseEvents(text: string): Array<{ event: string; id?: string; data: unknown }> {
  return text.split('\n\n').filter((b) => /^event:/m.test(b)).map((block) => {
    const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
    const id = field('id');
    return { event: field('event') ?? '', ...(id !== undefined ? { id } : {}), data: JSON.parse(field('data') ?? 'null') as unknown };
  });
}
