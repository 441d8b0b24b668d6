// The overview and the checks list with 2,000 checks (150 of them down) and a day of rollups each,
// through the dashboard's real server in process: the overview shows the first 100 down checks
// and a dozen others with a link to the rest, stays under 200 KB on the wire and renders in
// about 100 ms of CPU (under 300 ms asserted); the checks list pages by 100.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Sessions } from '../../src/api/sessions.ts';
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { inThreadChecker } from '../../src/api/workflows/checker.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { hourMs, Rollups } from '../../src/monitor/history/rollups.ts';
import type { CheckResult } from '../../src/monitor/checks/result.ts';
import { emptyCounters } from '../../src/monitor/runtime/state.ts';
import type { CheckView, MonitorView } from '../../src/monitor/runtime/view.ts';
import { loadProject } from '../../src/project/load.ts';
import type { Remediator } from '../../src/remediation/remediator.ts';
import { RunSupervisor } from '../../src/runs/supervisor.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { pages } from '../../src/ui/pages/index.ts';
import { createPulse, fingerprints } from '../../src/ui/pulse.ts';
import { createUi, type UiDeps } from '../../src/ui/server.ts';
import { registry } from '../../src/wiring/registry.ts';
import { createStreamSlots } from '../../src/api/stream-slots.ts';

const total = 2000, down = 150;
let server: Server;
let url = '';

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-scale-'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\ndocuments: [pipelines]\nserver: { anonymousRead: true }\n');
  const project = await loadProject(dir);
  const store = await openFileStore(join(dir, '.pluginops'));
  const now = Date.now();
  const history = new Rollups();
  const views: CheckView[] = [];
  for (let i = 0; i < total; i++) {
    const id = `check-${String(i).padStart(4, '0')}`;
    const failing = i % 13 === 0 && i < 13 * down;
    for (let h = 23; h >= 0; h--) for (let k = 0; k < 4; k++) history.record(id, now - h * hourMs, !(failing && h < 2), 20 + ((i + h * 7 + k) % 50));
    const last: CheckResult = failing
      ? { at: now - 1000, ok: false, durationMs: 30, fields: { status: 503 }, conditions: [{ expression: 'status == 200', ok: false }] }
      : { at: now - 1000, ok: true, durationMs: 25, fields: { status: 200 }, conditions: [] };
    views.push({ id, type: 'http', healthy: !failing, consecutiveFailures: failing ? 5 : 0, consecutiveSuccesses: failing ? 0 : 9, last, history: [] });
  }
  const monitor: MonitorView = {
    checks: () => views, hasCheck: (id) => history.byId.has(id), runCheck: async () => { throw new Error('not here'); },
    alerts: () => [], incidents: () => [], incident: () => undefined, acknowledge: async () => undefined, resolve: async () => undefined,
    openIncident: async () => { throw new Error('not here'); }, pushMetrics: () => ({ accepted: 0, rejected: [] }),
    schedule: () => views.map((v) => ({ id: `check:${v.id}`, runs: 10, failures: 0, missed: 0, lastLagMs: 3, maxLagMs: 12, running: false })),
    counters: emptyCounters(), pendingNotifications: 0,
  };
  const runs = new RunSupervisor({ store, project: () => project, registry, cwd: dir, env: {}, clock: systemClock, find: (plan) => findRunnable(project, plan, registry), log: () => {} });
  const api: UiDeps['api'] = {
    version: '0.0.0-test', now: Date.now, store, runs, monitor: () => monitor, history, project: () => project, env: {}, cwd: dir,
    remediation: (): Remediator => { throw new Error('no remediation here'); },
    status: () => ({ scheduler: 'running', configLoadedAt: now, startedAt: now }), log: () => {},
    registry, documents: inThreadChecker(registry), sessions: new Sessions(Date.now, () => 3_600_000), streams: createStreamSlots(),
  };
  const ui = createUi({ api, pages, pulse: createPulse(fingerprints(api)) });
  server = createServer((req, res) => { void ui.handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.after(() => { server?.close(); });

/** The page and the CPU time the process spent on it (the server's work; other processes on the machine do not count). */
async function get(path: string): Promise<{ ms: number; bytes: number; body: string }> {
  const started = process.cpuUsage();
  const res = await fetch(url + path, { headers: { 'accept-encoding': 'gzip' } });
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000;
  assert.is(res.status, 200);
  assert.is(res.headers.get('content-encoding'), 'gzip');
  return { ms, bytes: Number(res.headers.get('content-length')), body: await res.text() };
}

test('the overview with 2,000 checks: bounded rows, under 200 KB, about 100 ms', async () => {
  await get('/');
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await get('/'));
  const page = runs.at(-1)!;
  const median = runs.map((r) => r.ms).sort((a, b) => a - b)[2]!;
  console.log(`overview: ${page.bytes} bytes gzipped (${page.body.length} raw), median ${median.toFixed(1)} ms of CPU`);
  assert.ok(page.bytes < 200_000, `${page.bytes} bytes`);
  assert.ok(median < 300, `median ${median} ms`);
  assert.is((page.body.match(/<tr data-check=/g) ?? []).length, 100 + 12);
  assert.is((page.body.match(/data-state="down"/g) ?? []).length, 100);
  assert.is((page.body.match(/<svg class="spark"/g) ?? []).length, 112);
  assert.match(page.body, /<a href="\/checks\?status=down">50 more checks are down<\/a>/);
  assert.match(page.body, /All 2,000 checks/);
  assert.match(page.body, /2,000 checks: 1,850 up, 150 down/);
});

test('the checks list with 2,000 checks: 100 a page in the configuration\'s order, filtered by state, last page', async () => {
  const first = await get('/checks');
  assert.ok(first.bytes < 200_000, `${first.bytes} bytes`);
  assert.ok(first.ms < 300, `${first.ms} ms`);
  assert.is((first.body.match(/<tr data-check=/g) ?? []).length, 100);
  assert.is((first.body.match(/data-state="down"/g) ?? []).length, 8);
  assert.match(first.body, /<tr data-check="check-0000"[^]*<tr data-check="check-0001"/);
  assert.match(first.body, /rel="next"/);
  const second = await get('/checks?status=down&page=2');
  assert.is((second.body.match(/data-state="down"/g) ?? []).length, 50);
  assert.match(second.body, /Showing 101–150 of 150/);
  const last = await get('/checks?page=20');
  assert.is((last.body.match(/<tr data-check=/g) ?? []).length, 100);
  assert.not.match(last.body, /rel="next"/);
  assert.match((await get('/checks?page=999')).body, /Showing 1,901–2,000 of 2,000/);
});

test.run();
