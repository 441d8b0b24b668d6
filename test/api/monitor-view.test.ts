// The API reads and steers the monitor through `MonitorView` only: here a plain object that is no
// `Monitor` stands in for it, and the check, alert, status and metrics routes answer from it and
// call it (a run of a known check, a 404 for one it does not have).
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { RunSupervisor } from '../../src/runs/supervisor.ts';
import { inThreadChecker } from '../../src/api/workflows/checker.ts';
import { registry } from '../../src/wiring/registry.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CheckResult } from '../../src/monitor/checks/result.ts';
import { emptyCounters } from '../../src/monitor/runtime/state.ts';
import type { CheckView, MonitorView } from '../../src/monitor/runtime/view.ts';
import { loadProject } from '../../src/project/load.ts';
import type { Remediator } from '../../src/remediation/remediator.ts';
import { createApi } from '../../src/api/api.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { defaultServer, tokens } from './helpers.ts';
import { createStreamSlots } from '../../src/api/stream-slots.ts';

const result: CheckResult = { at: Date.parse('2026-03-02T09:00:00Z'), ok: false, durationMs: 12, fields: { exitCode: 1 }, conditions: [{ expression: 'exitCode == 0', ok: false }] };

function fakeMonitor() {
  const ran: string[] = [];
  const pushed: number[] = [];
  const views: CheckView[] = [{ id: 'disk', type: 'command', healthy: true, consecutiveFailures: 0, consecutiveSuccesses: 4, history: [] }];
  const view: MonitorView = {
    checks: () => views,
    hasCheck: (id) => views.some((c) => c.id === id),
    async runCheck(id) {
      ran.push(id);
      views[0] = { ...views[0]!, healthy: false, consecutiveFailures: 1, consecutiveSuccesses: 0, last: result, history: [result] };
      return result;
    },
    alerts: () => [{ key: 'disk-full{check=disk}', ruleId: 'disk-full', labels: { check: 'disk' }, state: 'pending', since: result.at, flapping: false }],
    incidents: () => [],
    incident: () => undefined,
    acknowledge: async () => undefined,
    resolve: async () => undefined,
    openIncident: async () => { throw new Error('not reported here'); },
    pushMetrics(samples) { pushed.push(samples.length); return { accepted: samples.length, rejected: [] }; },
    schedule: () => [{ id: 'check:disk', runs: 7, failures: 1, missed: 2, maxLagMs: 30, running: false }],
    counters: { ...emptyCounters(), notificationsSent: 5 },
    pendingNotifications: 3,
  };
  return { view, ran, pushed };
}

test('the check, alert, metrics and status routes answer from a MonitorView that is no Monitor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-view-'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pluginops.yml'), ['apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]', ...defaultServer].join('\n') + '\n');
  const env = { READ_TOKEN: tokens.read, WRITE_TOKEN: tokens.write, DEPLOY_TOKEN: tokens.deploy };
  const project = await loadProject(dir);
  const store = await openFileStore(join(dir, '.pluginops'));
  const fake = fakeMonitor();
  const runs = new RunSupervisor({
    store, project: () => project, registry, cwd: dir, env, clock: systemClock,
    find: (plan) => findRunnable(project, plan, registry), log: () => {},
  });
  const api = createApi({
    version: '0.0.0-test', now: Date.now, store, runs, monitor: () => fake.view, project: () => project, env, cwd: dir,
    remediation: (): Remediator => { throw new Error('no remediation here'); },
    status: () => ({ scheduler: 'off', configLoadedAt: Date.now(), startedAt: Date.now() }), log: () => {},
    registry, documents: inThreadChecker(registry), streams: createStreamSlots(),
  });
  const server = createServer((req, res) => { void api.handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, path: string, json?: unknown) => {
    const res = await fetch(url + path, {
      method, headers: { authorization: `Bearer ${method === 'GET' ? tokens.read : tokens.write}`, ...(json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    return { status: res.status, body: await res.json() as { data: any } };
  };
  try {
    assert.equal((await call('GET', '/api/checks')).body.data, [{ id: 'disk', type: 'command', healthy: true, consecutiveFailures: 0, consecutiveSuccesses: 4 }]);

    const run = await call('POST', '/api/checks/disk/run', {});
    assert.is(run.status, 200, JSON.stringify(run.body));
    assert.equal(fake.ran, ['disk']);
    assert.is(run.body.data.result.ok, false);
    assert.equal(run.body.data.check.last.failed, ['exitCode == 0']);
    assert.is((await call('POST', '/api/checks/nope/run', {})).status, 404);
    assert.equal(fake.ran, ['disk'], 'an unknown check is not run');

    assert.equal((await call('GET', '/api/alerts')).body.data.map((a: { key: string }) => a.key), ['disk-full{check=disk}']);
    const pushed = await call('POST', '/api/metrics', { samples: [{ metric: 'queue_depth', value: 4 }] });
    assert.is(pushed.status, 200, JSON.stringify(pushed.body));
    assert.equal(fake.pushed, [1]);

    const status = (await call('GET', '/api/status')).body.data;
    assert.equal([status.scheduler.jobs, status.scheduler.runs, status.scheduler.missed, status.scheduler.maxLagMs], [1, 7, 2, 30]);
    assert.equal(status.checks, { total: 1, healthy: 0, unhealthy: 1 });
    assert.equal([status.notifications.pending, status.notifications.sent], [3, 5]);
  } finally {
    await runs.stop(0);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
  }
});

test.run();
