// The acceptance, end to end on the real clock: a project on disk whose AlertRule reads
// `queue_depth` from a real Prometheus every second. The exporter's gauge rises above the warning
// level → Prometheus scrapes it → the rule's alert fires → an incident opens → the webhook gets
// the Alertmanager-shaped firing payload with the series' labels → the gauge falls → the alert
// resolves → after `autoResolve.warning: 1s` the incident resolves → the webhook gets `resolved`.
// The incident and the firing payload carry the evidence: the query and the series' value.
import { registry } from '../../src/wiring/registry.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../src/engine/clock.ts';
import { spawnProcess } from '../../src/engine/process/spawn.ts';
import { loadMonitorConfig } from '../../src/monitor/runtime/load.ts';
import { Monitor } from '../../src/monitor/runtime/monitor.ts';
import { filePersistence } from '../../src/monitor/runtime/state.ts';
import { loadProject } from '../../src/project/load.ts';
import { startReceiver, type Receiver } from '../notify/helpers.ts';
import { eventually, startStack, suiteFixture, type Stack } from './harness.ts';

type Json = Record<string, any>;

const rule = `apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: queue-deep, name: Queue too deep }
spec:
  source: { prometheus: 'queue_depth' }
  every: 1s
  levels: { warning: 10 }
  notify: { channels: [ops-hook], escalate: false }
`;

interface World extends Stack {
  dir: string;
  receiver: Receiver;
  monitor: Monitor;
  logs: Array<{ level: string; line: string }>;
  hooks(): Json[];
}

/** Prometheus scraping the exporter, a webhook receiver, and a monitor on a project that points at both. */
async function open(): Promise<World> {
  const stack = await startStack();
  const receiver = await startReceiver(systemClock);
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-prom-project-'));
  const closeAll = async () => {
    await Promise.all([stack.close(), receiver.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    stack.exporter.set('queue_depth', { plugin: 'payments' }, 3);
    writeFileSync(join(dir, 'pluginops.yml'), [
      'apiVersion: pluginops/v1',
      'kind: Project',
      'documents: [pipelines]',
      'channels:',
      `  ops-hook: { type: webhook, url: "${receiver.url}/hook" }`,
      'monitoring:',
      `  prometheus: { url: "${stack.prometheus.url}" }`,
      '  autoResolve: { warning: 1s }',
      '',
    ].join('\n'));
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'pipelines', 'monitor.yml'), rule);
    const project = await loadProject(dir);
    const config = await loadMonitorConfig(project, dir, {}, registry);
    const logs: World['logs'] = [];
    const monitor = await Monitor.open(config, {
      clock: systemClock, fetch: globalThis.fetch, spawn: spawnProcess, env: {}, persistence: filePersistence(project.storeDir),
      log: (line, level) => logs.push({ level, line }),
      deliveryPolicy: { attempts: 2, delayMs: 200, timeoutMs: 2_000 },
      tickMs: 200,
    });
    return {
      ...stack, dir, receiver, monitor, logs,
      hooks: () => receiver.requests.filter((r) => r.path === '/hook').map((r) => JSON.parse(r.body) as Json),
      close: async () => { await monitor.stop(0).catch(() => undefined); await closeAll(); },
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

const world = suiteFixture(test, open);

const queueAlert = (w: World) => {
  const alerts = w.monitor.alerts().filter((a) => a.ruleId === 'queue-deep');
  assert.is(alerts.length, 1, `one alert for the one series (${JSON.stringify(alerts)}; log: ${JSON.stringify(w.logs)})`);
  return alerts[0]!;
};

test('queue_depth above 10 → Prometheus → alert fires → incident → webhook; below → resolves → incident auto-resolves → webhook resolved', async () => {
  const w = await world();
  const started = Date.now();
  w.monitor.start();

  // Arrange: the rule reads the scraped series, below its level.
  const calm = await eventually('the rule read queue_depth 3 from Prometheus', () => {
    const a = queueAlert(w);
    assert.is(a.value, 3);
    return a;
  });
  assert.is(calm.state, 'ok');
  assert.equal(calm.labels, { __name__: 'queue_depth', instance: w.exporter.target, job: 'exporter', plugin: 'payments' }, 'the alert is labelled like the series');
  assert.equal(w.monitor.incidents(), []);

  // Act: the queue grows past the warning level.
  w.exporter.set('queue_depth', { plugin: 'payments' }, 12);
  const raisedAt = Date.now();
  const firing = await eventually('the alert fires', () => {
    const a = queueAlert(w);
    assert.is(a.state, 'firing', `state ${a.state}, value ${a.value}`);
    return a;
  });
  assert.is(firing.severity, 'warning');
  assert.is(firing.value, 12);
  const [incident] = w.monitor.incidents();
  assert.ok(incident, 'an incident opened');
  assert.is(incident!.status, 'open');
  assert.is(incident!.severity, 'warning');
  assert.is(incident!.ruleId, 'queue-deep');
  assert.equal(incident!.labels, firing.labels);
  // What showed it: the query and the series Prometheus answered, labels and value.
  const [evidence] = incident!.evidence ?? [];
  assert.is(evidence?.source, 'prometheus');
  assert.is(evidence?.query, 'queue_depth');
  assert.equal(evidence?.samples?.map((s) => [s.labels, s.value]), [[firing.labels, 12]]);

  const fired = await eventually('the webhook got the firing payload', () => {
    const [first] = w.hooks();
    assert.ok(first, 'no webhook request yet');
    return first;
  });
  assert.is(fired.version, '4');
  assert.is(fired.status, 'firing');
  assert.is(fired.alerts.length, 1);
  const alert = fired.alerts[0] as Json;
  assert.is(alert.status, 'firing');
  assert.equal(alert.labels, {
    alertname: 'queue-deep', severity: 'warning', category: 'system',
    __name__: 'queue_depth', instance: w.exporter.target, job: 'exporter', plugin: 'payments',
  });
  assert.is(alert.fingerprint, incident!.dedupKey);
  assert.is(alert.endsAt, '0001-01-01T00:00:00Z');
  assert.match(alert.annotations.summary as string, /12/);
  assert.ok(Date.parse(alert.startsAt as string) >= raisedAt - 1_000, 'started after the gauge rose');
  assert.equal((fired.notification as Json).evidence[0].samples[0].value, 12, 'the webhook carries the evidence');

  // Act: the queue drains.
  w.exporter.set('queue_depth', { plugin: 'payments' }, 4);
  await eventually('the alert resolves', () => {
    const a = queueAlert(w);
    assert.ok(a.state === 'resolved' || a.state === 'ok', `state ${a.state}, value ${a.value}`);
    assert.is(a.value, 4);
  });
  const done = await eventually('the incident auto-resolves', () => {
    const i = w.monitor.incident(incident!.id)!;
    assert.is(i.status, 'resolved', `status ${i.status}, alerts firing: ${i.alertsFiring}`);
    return i;
  });
  assert.is(done.resolvedBy, 'auto');
  const stoppedAt = done.timeline.find((e) => e.kind === 'alerts-stopped')!.at;
  assert.ok(done.resolvedAt! - stoppedAt >= 1_000, 'not before the 1 s warning delay');
  assert.ok(done.resolvedAt! - stoppedAt < 5_000, `soon after it (${done.resolvedAt! - stoppedAt} ms)`);

  const resolved = await eventually('the webhook got the resolved payload', () => {
    const last = w.hooks().at(-1);
    assert.is(last?.status, 'resolved');
    return last!;
  });
  assert.is(resolved.alerts[0].status, 'resolved');
  assert.is(resolved.alerts[0].fingerprint, incident!.dedupKey);
  assert.is(resolved.alerts[0].labels.plugin, 'payments');
  assert.not.equal(resolved.alerts[0].endsAt, '0001-01-01T00:00:00Z');
  assert.equal(w.hooks().map((h) => h.status), ['firing', 'resolved'], 'one firing, one resolved, nothing else');
  assert.is(w.monitor.pendingNotifications, 0);
  await eventually('`resolved` is reported once, then the alert is ok', () => assert.is(queueAlert(w).state, 'ok'));
  assert.equal(w.logs.filter((l) => l.level === 'warn' || l.level === 'error'), [], 'no query errors along the way');

  // The state is on disk.
  await w.monitor.idle();
  const file = join(w.dir, '.pluginops', 'monitor', 'state.json');
  assert.ok(existsSync(file));
  assert.is((JSON.parse(readFileSync(file, 'utf8')) as Json).incidents[0].status, 'resolved');
  assert.ok(Date.now() - started < 30_000, `the whole round trip took ${Date.now() - started} ms`);
});

test.run();
