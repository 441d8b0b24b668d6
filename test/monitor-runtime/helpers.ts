// A monitoring project on disk with loopback receivers for every channel type, a service whose
// health a test switches, and a monitor on a virtual clock that the test moves step by step.
import { registry } from '../../src/wiring/registry.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../src/engine/clock.ts';
import { spawnProcess } from '../../src/engine/process/spawn.ts';
import type { DeliveryPolicy } from '../../src/notify/deliver.ts';
import { createRateLimiter } from '../../src/notify/limiter.ts';
import { loadMonitorConfig } from '../../src/monitor/runtime/load.ts';
import { Monitor, type MonitorEdges } from '../../src/monitor/runtime/monitor.ts';
import { filePersistence } from '../../src/monitor/runtime/state.ts';
import { loadProject } from '../../src/project/load.ts';
import { startReceiver, type Receiver } from '../notify/helpers.ts';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.ts';
import { settled } from './settle.ts';

export const sec = 1_000;
export const min = 60_000;

export interface Service {
  url: string;
  mode: 'up' | 'down' | 'hang';
  hits: number;
  close(): Promise<void>;
}

/** An HTTP service on 127.0.0.1: `up` answers 200, `down` 503, `hang` never answers. */
export async function startService(): Promise<Service> {
  const service: Service = { url: '', mode: 'up', hits: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    service.hits++;
    req.resume();
    if (service.mode === 'hang') return;
    res.writeHead(service.mode === 'up' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: service.mode }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.close = async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); };
  return service;
}

export interface World {
  dir: string;
  clock: VirtualClock;
  receiver: Receiver;
  smtp: SmtpSink;
  service: Service;
  env: Record<string, string>;
  logs: Array<{ level: string; line: string }>;
  monitor: Monitor;
  /** Opens a new monitor on the same project and store (a restart). */
  reopen(): Promise<Monitor>;
  /** Moves the clock `ms` forward in steps, letting the monitor's work finish after each. */
  run(ms: number, stepMs?: number): Promise<void>;
  /** Requests the receiver got on `path`, parsed as JSON. */
  got(path: string): unknown[];
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Extra lines under `monitoring:` in pluginops.yml (indented two spaces). */
  monitoring?: string[];
  /** Documents (YAML) written to pipelines/monitor.yml; `{service}` is replaced by the service URL. */
  documents: string;
  /** Receiver replies, by request. */
  reply?: Receiver['reply'];
  /** Extra top-level lines in pluginops.yml, e.g. `locale: ko`. */
  project?: string[];
  /** Replaces parts of the delivery policy (2 attempts, 1 s backoff, 2 s timeout). */
  deliveryPolicy?: Partial<DeliveryPolicy>;
  /** How often the monitor looks at incidents (its default when absent). */
  tickMs?: number;
  /** Told every incident timeline entry (MonitorEdges.onTimeline). */
  onTimeline?: MonitorEdges['onTimeline'];
  /** Told every check result (MonitorEdges.onResult). */
  onResult?: MonitorEdges['onResult'];
  /** The project's mask (MonitorEdges.mask). */
  mask?: MonitorEdges['mask'];
  /** Run-time controls on the world's clock (MonitorEdges.controls). */
  controls?: (clock: VirtualClock) => MonitorEdges['controls'];
}

export async function world(o: WorldOptions): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-monitor-'));
  const clock = new VirtualClock(Date.parse('2026-03-02T09:00:00Z'));
  const receiver = await startReceiver(clock, o.reply ?? ((req) => ({ status: req.path.startsWith('/pd') ? 202 : 200, body: req.path.startsWith('/pd') ? '{"status":"success"}' : 'ok' })));
  const smtp = await startSmtpSink();
  const service = await startService();
  const env = { SLACK_URL: `${receiver.url}/slack`, PD_KEY: 'R0UT1NGKEY0000000000000000000000' };
  writeFileSync(join(dir, 'pluginops.yml'), [
    'apiVersion: pluginops/v1',
    'kind: Project',
    'documents: [pipelines]',
    'channels:',
    '  ops-slack: { type: slack, webhookUrl: { env: SLACK_URL } }',
    `  ops-hook: { type: webhook, url: "${receiver.url}/hook" }`,
    `  ops-mail: { type: email, host: 127.0.0.1, port: ${smtp.port}, from: pluginops@example.test, to: [oncall@example.test] }`,
    `  ops-pd: { type: pagerduty, routingKey: { env: PD_KEY }, url: "${receiver.url}/pd/v2/enqueue" }`,
    ...(o.project ?? []),
    ...(o.monitoring?.length ? ['monitoring:', ...o.monitoring.map((l) => `  ${l}`)] : ['monitoring: {}']),
  ].join('\n'));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pipelines', 'monitor.yml'), o.documents.replaceAll('{service}', service.url));
  const logs: World['logs'] = [];
  const limiter = createRateLimiter(clock);
  const open = async () => {
    const project = await loadProject(dir);
    const config = await loadMonitorConfig(project, dir, env, registry);
    return Monitor.open(config, {
      clock, fetch: globalThis.fetch, spawn: spawnProcess, env, persistence: filePersistence(project.storeDir), limiter,
      log: (line, level) => logs.push({ level, line }),
      deliveryPolicy: { attempts: 2, delayMs: 1_000, timeoutMs: 2_000, ...o.deliveryPolicy },
      ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
      ...(o.onTimeline ? { onTimeline: o.onTimeline } : {}),
      ...(o.mask ? { mask: o.mask } : {}),
      ...(o.onResult ? { onResult: o.onResult } : {}),
      ...(o.controls ? { controls: o.controls(clock) } : {}),
    });
  };
  const w: World = {
    dir, clock, receiver, smtp, service, env, logs, monitor: await open(),
    async reopen() { w.monitor = await open(); return w.monitor; },
    async run(ms, stepMs = 2 * sec) {
      for (let t = 0; t < ms; t += stepMs) {
        await clock.advance(Math.min(stepMs, ms - t));
        await settled(w.monitor);
      }
    },
    got: (path) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as unknown),
    async close() {
      await w.monitor.stop(0).catch(() => undefined);
      await Promise.all([receiver.close(), smtp.close(), service.close()]);
    },
  };
  return w;
}

export const apiDown = (extra: string[] = []) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 10s
  timeout: 1s
  stagger: 1s
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  severity: critical
  category: system
  notify: { channels: [ops-slack, ops-hook] }
${extra.map((l) => `  ${l}`).join('\n')}
`;

/** A loki check `api-errors` on `url` and a warning rule `api-error-lines` on its count (one line fires it); `rule`: more lines of its spec. */
export const lokiCheckDocuments = (url: string, query: string, rule: string[] = []) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api-errors }
spec:
  type: loki
  server: "${url}"
  query: '${query}'
  window: 5m
  interval: 1h
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-error-lines, name: API error lines }
spec:
  source: { healthCheck: api-errors, field: count }
  levels: { warning: 1 }
${rule.map((l) => `  ${l}`).join('\n')}
`;

/** A recorded e-mail with quoted-printable soft line breaks and escapes undone (UTF-8). */
export const mailText = (data: string): string =>
  Buffer.from(data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
