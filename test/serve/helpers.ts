// `pluginops serve` as a child process against loopback services: a project on disk, a service
// whose health the test switches, receivers for Slack, webhook and PagerDuty, and a client for
// the API. The process writes JSON log lines; the test reads its address from "listening on".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliCommand } from '../cli/helpers.ts';
import { startService, type Service } from '../monitor-runtime/helpers.ts';
import { startReceiver, type Receiver } from '../notify/helpers.ts';

export const writeToken = 'w-0123456789abcdef0123456789abcdef';
export const readToken = 'r-fedcba9876543210fedcba9876543210';
export const adminToken = 'a-00112233445566778899aabbccddeeff';

export interface Proc {
  child: ChildProcess;
  url: string;
  lines: Array<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeWorld {
  dir: string;
  service: Service;
  receiver: Receiver;
  env: Record<string, string>;
  proc?: Proc;
  start(args?: string[]): Promise<Proc>;
  api(method: string, path: string, o?: { token?: string; body?: unknown; raw?: string; type?: string }): Promise<{ status: number; body: any }>;
  got(path: string): any[];
  close(): Promise<void>;
}

export async function eventually<T>(fn: () => T | Promise<T>, o: { timeoutMs?: number; everyMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const until = Date.now() + (o.timeoutMs ?? 15_000);
  let last: unknown;
  for (;;) {
    try { const v = await fn(); if (v) return v as NonNullable<T>; } catch (e) { last = e; }
    if (Date.now() > until) throw new Error(`timed out waiting for ${o.what ?? 'a condition'}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, o.everyMs ?? 100));
  }
}

/** A fast HTTP check `api` on the test service ("{service}") and the critical rule `api-down` over it. */
export const apiDownDocuments = (o: { failureThreshold: number; channels: string[]; interval?: string }) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: ${o.interval ?? '500ms'}
  stagger: 0s
  timeout: 1s
  failureThreshold: ${o.failureThreshold}
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  severity: critical
  notify: { channels: [${o.channels.join(', ')}] }
`;

/** A `restart_plugin` command (as a YAML double-quoted scalar) that asks the test's control server at `control` to restart `$PLUGIN`. */
export const restartCommand = (control: string) =>
  `"node -e \\"fetch('${control}/restart/' + process.env.PLUGIN, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))\\""`;

export const slackSigningSecret = '8f742231b10e8888abcd99yyyzzz85a5';

export async function serveWorld(o: { monitoring: string[]; documents: string; extraProject?: string[]; slackSigning?: boolean }): Promise<ServeWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-serve-'));
  const receiver = await startReceiver({ now: Date.now }, (req) => ({ status: req.path.startsWith('/pd') ? 202 : 200, body: '{}' }));
  const service = await startService();
  const env = { ...process.env, SLACK_URL: `${receiver.url}/slack`, PD_KEY: 'R0UT1NGKEY0000000000000000000000', API_WRITE: writeToken, API_READ: readToken, API_ADMIN: adminToken, SLACK_SIGNING: slackSigningSecret } as Record<string, string>;
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1',
    'kind: Project',
    'documents: [pipelines]',
    'channels:',
    `  ops-slack: { type: slack, webhookUrl: { env: SLACK_URL }${o.slackSigning ? ', signingSecret: { env: SLACK_SIGNING }' : ''} }`,
    `  ops-hook: { type: webhook, url: "${receiver.url}/hook" }`,
    `  ops-pd: { type: pagerduty, routingKey: { env: PD_KEY }, url: "${receiver.url}/pd/v2/enqueue" }`,
    'server:',
    '  tokens:',
    '    - { name: ci, token: { env: API_WRITE }, scopes: [read, write] }',
    '    - { name: dashboard, token: { env: API_READ }, scopes: [read] }',
    '    - { name: ops-admin, token: { env: API_ADMIN }, scopes: [admin] }',
    '  grace: 3s',
    'monitoring:',
    ...o.monitoring.map((l) => `  ${l}`),
    ...(o.extraProject ?? []),
  ].join('\n'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'monitor.yml'), o.documents.replaceAll('{service}', service.url));
  const w: ServeWorld = {
    dir, service, receiver, env,
    async start(args = ['--cron']) {
      const child = spawn(process.execPath, [...cliCommand, 'serve', '--port', '0', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: Proc['lines'] = [];
      let buffer = '';
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
      const url = await new Promise<string>((resolve, reject) => {
        // A slow start is a failure, and the process must not outlive it (it would keep the test file from ending).
        const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`serve did not start within 60 s: ${stderr}`)); }, 60_000);
        child.stdout!.on('data', (c: Buffer) => {
          buffer += c.toString();
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            try { lines.push(JSON.parse(line) as Record<string, unknown>); } catch { lines.push({ raw: line }); }
            const m = /listening on (http:\/\/[^ ]+)/.exec(String(lines.at(-1)!.msg ?? ''));
            if (m) { clearTimeout(timer); resolve(m[1]!); }
          }
        });
        void exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`serve exited ${code} before listening: ${stderr}`)); });
      });
      w.proc = { child, url, lines, exited };
      return w.proc;
    },
    async api(method, path, a = {}) {
      const headers: Record<string, string> = {};
      if (a.token) headers.authorization = `Bearer ${a.token}`;
      let body: string | undefined;
      if (a.raw !== undefined) { body = a.raw; headers['content-type'] = a.type ?? 'application/json'; }
      else if (a.body !== undefined) { body = JSON.stringify(a.body); headers['content-type'] = 'application/json'; }
      const res = await fetch(`${w.proc!.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body: parsed };
    },
    got: (path) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body)),
    async close() {
      if (w.proc && w.proc.child.exitCode === null && w.proc.child.signalCode === null) { w.proc.child.kill('SIGKILL'); await w.proc.exited; }
      await Promise.all([receiver.close(), service.close()]);
    },
  };
  return w;
}
