// A real Prometheus for the integration tests: Debian's `prometheus` binary (installed by
// scripts/test-deps.sh) started as a child process on a free loopback port, with its own config
// and TSDB in a temp dir, scraping a loopback exporter every second. Never the system Prometheus
// on :9090. Also: the exporter (a node:http server whose gauges the test sets), a bounded poll,
// and a per-suite fixture whose start-up failure each test reports (a throwing uvu `before` hook
// is swallowed by uvu).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'uvu';

export const scrapeIntervalMs = 1_000;
export const readyTimeoutMs = 30_000;
export const killGraceMs = 5_000;
export const firstScrapeTimeoutMs = 15_000;

// ---------------------------------------------------------------------------------------------
// The exporter

export interface Exporter {
  /** host:port, as Prometheus's `instance` label shows it. */
  target: string;
  url: string;
  /** Sets a gauge; `labels` pick the series. */
  set(name: string, labels: Record<string, string>, value: number): void;
  /** Requests to /metrics so far. */
  readonly scrapes: number;
  close(): Promise<void>;
}

/** A /metrics endpoint on 127.0.0.1 in the text exposition format, with the gauges the test sets. */
export async function startExporter(): Promise<Exporter> {
  const gauges = new Map<string, Map<string, number>>();
  let scrapes = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.url?.split('?')[0] !== '/metrics') { res.writeHead(404).end('not found\n'); return; }
    scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(exposition(gauges));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    target, url: `http://${target}`,
    set(name, labels, value) {
      const series = gauges.get(name) ?? new Map<string, number>();
      series.set(labelText(labels), value);
      gauges.set(name, series);
    },
    get scrapes() { return scrapes; },
    async close() { server.closeAllConnections(); await new Promise((resolve) => server.close(resolve)); },
  };
}

function exposition(gauges: Map<string, Map<string, number>>): string {
  const lines: string[] = [];
  for (const [name, series] of gauges) {
    lines.push(`# HELP ${name} Set by the test.`, `# TYPE ${name} gauge`);
    for (const [labels, value] of series) lines.push(`${name}${labels} ${numberText(value)}`);
  }
  return `${lines.join('\n')}\n`;
}

const labelText = (labels: Record<string, string>): string => {
  const pairs = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
};

const numberText = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

// ---------------------------------------------------------------------------------------------
// The server

export interface PrometheusServer {
  /** Base URL, http://127.0.0.1:<port>. */
  url: string;
  /** What the process wrote to stderr so far (its log), for failure messages. */
  log(): string;
  /** SIGTERM, SIGKILL after `killGraceMs`, then the temp dir is removed. Safe to call twice. */
  close(): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port targets of the one scrape job, `exporter`. */
  targets: string[];
  binary?: string;
}

/** Starts Prometheus on a free loopback port and resolves once /-/ready answers 200. */
export async function startPrometheus(o: PrometheusOptions): Promise<PrometheusServer> {
  let lastError: Error | undefined;
  // The free port is found before Prometheus binds it; another process may take it in between.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(o, await freePort());
    } catch (e) {
      lastError = e as Error;
      if (!/address already in use/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startOnce(o: PrometheusOptions, port: number): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, [
    'global:',
    `  scrape_interval: ${scrapeIntervalMs / 1000}s`,
    `  scrape_timeout: ${scrapeIntervalMs / 1000}s`,
    `  evaluation_interval: ${scrapeIntervalMs / 1000}s`,
    'scrape_configs:',
    '  - job_name: exporter',
    '    static_configs:',
    `      - targets: [${o.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
    '',
  ].join('\n'));
  const address = `127.0.0.1:${port}`;
  const child = spawn(o.binary ?? 'prometheus', [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${address}`,
    '--log.level=info',
  ], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => { log = (log + chunk).slice(-64 * 1024); });
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`could not start \`${o.binary ?? 'prometheus'}\`: ${e.message} (run scripts/test-deps.sh)`));
    child.once('exit', (code, signal) => resolve(`prometheus exited (${signal ?? `code ${code}`})`));
  });
  // If the test process dies without its teardown, the server must not outlive it.
  const reap = () => { child.kill('SIGKILL'); };
  process.once('exit', reap);

  let closed: Promise<void> | undefined;
  const server: PrometheusServer = {
    url: `http://${address}`,
    log: () => log,
    close: () => (closed ??= (async () => {
      await stop(child, exited);
      process.removeListener('exit', reap);
      rmSync(dir, { recursive: true, force: true });
    })()),
  };

  let gone: string | undefined;
  void exited.then((why) => { gone = why; });
  const failure = await waitReady(server.url, () => gone);
  if (failure !== undefined) {
    const logText = log;
    await server.close();
    throw new Error(`Prometheus on ${address} did not become ready: ${failure}\n--- its log ---\n${tail(logText)}`);
  }
  return server;
}

/** Undefined once GET /-/ready answers 200; a reason when the process is gone or `readyTimeoutMs` passes. */
async function waitReady(url: string, gone: () => string | undefined): Promise<string | undefined> {
  const until = Date.now() + readyTimeoutMs;
  let last = 'no answer yet';
  while (Date.now() < until) {
    const why = gone();
    if (why !== undefined) return why;
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await r.text();
      if (r.status === 200) return undefined;
      last = `/-/ready answered ${r.status}`;
    } catch (e) {
      last = `/-/ready: ${(e as Error).message}`;
    }
    await delay(100);
  }
  return `not ready within ${readyTimeoutMs / 1000}s (${last})`;
}

async function stop(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = new Promise<'late'>((resolve) => { const t = setTimeout(() => resolve('late'), killGraceMs); t.unref(); });
  if ((await Promise.race([exited, timer])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => { probe.once('error', reject); probe.listen(0, '127.0.0.1', resolve); });
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const tail = (text: string, lines = 40): string => text.trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';

// ---------------------------------------------------------------------------------------------
// Waiting and fixtures

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` every `everyMs` until it returns without throwing, and returns what it returned.
 * After `timeoutMs` the last error is thrown, prefixed with `what`.
 */
export async function eventually<T>(what: string, fn: () => T | Promise<T>, o: { timeoutMs?: number; everyMs?: number } = {}): Promise<T> {
  const { timeoutMs = 20_000, everyMs = 200 } = o;
  const started = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() - started >= timeoutMs) {
        const error = new Error(`${what}: still not true after ${timeoutMs / 1000}s: ${(e as Error).message}`);
        error.cause = e;
        throw error;
      }
    }
    await delay(everyMs);
  }
}

/**
 * Opens `open()` once for the suite, in `before`, and closes it in `after` (also when tests fail).
 * Tests await the returned getter: when opening failed, every test fails with that error.
 */
export function suiteFixture<T extends { close(): Promise<void> }>(suite: Test, open: () => Promise<T>): () => Promise<T> {
  let opened: Promise<T> | undefined;
  suite.before(() => {
    opened = open();
    opened.catch(() => undefined);
  });
  suite.after(async () => {
    const value = await opened?.catch(() => undefined);
    await value?.close();
  });
  return () => opened ?? Promise.reject(new Error('the suite fixture was not opened'));
}

/** An exporter and a Prometheus that scrapes it; `close` stops both. */
export interface Stack {
  exporter: Exporter;
  prometheus: PrometheusServer;
  close(): Promise<void>;
}

/**
 * Starts both and resolves once Prometheus has scraped the exporter. Prometheus 2.x applies its
 * scrape targets on a 5 s tick, so the first scrape comes about 5 s after /-/ready.
 */
export async function startStack(): Promise<Stack> {
  const exporter = await startExporter();
  let prometheus: PrometheusServer | undefined;
  const close = async () => { await prometheus?.close(); await exporter.close(); };
  try {
    prometheus = await startPrometheus({ targets: [exporter.target] });
    const server = prometheus;
    await eventually(`Prometheus scraping ${exporter.url}/metrics`, () => {
      if (exporter.scrapes === 0) throw new Error(`no scrape yet; Prometheus's log:\n${tail(server.log())}`);
    }, { timeoutMs: firstScrapeTimeoutMs, everyMs: 100 });
    return { exporter, prometheus, close };
  } catch (e) {
    await close();
    throw e;
  }
}
