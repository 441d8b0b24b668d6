// The plugin triggers of pipelines/self-healing.yml through a real `pluginops serve --cron` and the
// demo plugin of examples/self-healing on loopback:
// - its memory (pushed to POST /api/metrics by the plugin itself) grows → the trend rule fires →
//   the shipped plugin_cache_clear calls its cache-clear and GC hooks → the rule, evaluated
//   again on the plugin's next samples, no longer fires → the incident resolves;
// - its answers slow down → the latency rule fires → the cache is cleared → the check is run
//   again (recorded as the verification) → fast again → the incident resolves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startReceiver } from '../notify/helpers.ts';
import { eventually } from '../serve/helpers.ts';
import { launch, stop } from '../serve/process.ts';
import { api, freePort, serveEnv, shipped, startDemoPlugin, tempDir, writeProject, writeToken } from './helpers.ts';

interface Record { plan: string; outcome?: string; runId?: string; incident: string; target: string; params: { [k: string]: unknown }; verification?: { results: Array<{ ok: boolean }> } }

const ended = (url: string, plan: string) => eventually(async () => {
  const list = (await api(url, '/api/remediations')).data as Record[];
  return list.find((r) => r.plan === plan && r.outcome !== undefined);
}, { what: `the ${plan} remediation to end`, timeoutMs: 15_000 });

test('memory growing toward the limit: the plugin\'s cache-clear and GC hooks are called, then the rule is quiet', async () => {
  const port = await freePort();
  const dir = tempDir('e2e-memory');
  const receiver = await startReceiver({ now: Date.now });
  writeProject(dir, shipped({
    'plugin-memory-growth': (s) => {
      s.every = '250ms';
      s.trend = { ...s.trend, window: 8, minSamples: 4 };
      s.remediate.with.url = `http://127.0.0.1:${port}/admin/cache/clear`;
      s.remediate.with.gcUrl = `http://127.0.0.1:${port}/admin/gc`;
      s.remediate.verify = { attempts: 2, interval: '600ms' };
    },
  }), `${receiver.url}/hook`);
  const serve = launch(dir, serveEnv(), ['--cron', '--port', '0']);
  let plugin: Awaited<ReturnType<typeof startDemoPlugin>> | undefined;
  try {
    const url = await serve.listening;
    plugin = await startDemoPlugin(port, { PLUGINOPS_URL: url, PLUGINOPS_TOKEN: writeToken, PUSH_INTERVAL_MS: '150', BUDGET_MB: '8', MS_PER_MB: '0' });
    // Traffic with ever new keys: the unbounded cache grows 64 KiB a request, until it is cleared.
    let key = 0;
    await eventually(async () => {
      if ((await plugin!.stats()).clears > 0) return true;
      await fetch(`${plugin!.url}/api/work?key=${key++}`).then((r) => r.text());
      return false;
    }, { what: 'the cache to be cleared', timeoutMs: 15_000, everyMs: 80 });

    const record = await ended(url, 'plugin_cache_clear');
    const stats = await plugin.stats();
    assert.is(stats.clears, 1, 'the cache-clear hook was called once');
    assert.is(stats.gcs, 1, 'then the GC hook');
    assert.is(record.target, 'cache-demo');
    assert.is(record.params.plugin, 'cache-demo');
    const run = (await api(url, `/api/runs/${record.runId}`)).data;
    assert.is(run.status, 'success');
    assert.match(run.steps.clear.outputs.body, /"cleared":\d+/);

    const incident = (await api(url, `/api/incidents/${encodeURIComponent(record.incident)}`)).data;
    assert.is(incident.ruleId, 'plugin-memory-growth');
    assert.match(incident.title, /predicted to reach 95/, 'the trend fired before any level was reached');
    assert.is(record.outcome, 'fixed', JSON.stringify(record.verification));
    assert.is(incident.status, 'resolved');
    assert.is(incident.resolvedBy, 'remediation');
    assert.is((await stop({ ...serve, url, lines: serve.lines }, 'SIGTERM')).code, 0);
  } finally {
    await plugin?.stop();
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await receiver.close();
  }
});

test('slow answers: the cache is cleared, the check is run again and passes, the incident resolves', async () => {
  const port = await freePort();
  const dir = tempDir('e2e-latency');
  const receiver = await startReceiver({ now: Date.now });
  writeProject(dir, shipped({
    'plugin-latency': (s) => { Object.assign(s, { url: `http://127.0.0.1:${port}/api/work`, interval: '300ms', stagger: '0s', timeout: '3s', failureThreshold: 1, successThreshold: 1 }); },
    'plugin-latency-high': (s) => {
      delete s.for;
      s.remediate.with.url = `http://127.0.0.1:${port}/admin/cache/clear`;
      s.remediate.verify = { attempts: 2, interval: '300ms' };
    },
  }), `${receiver.url}/hook`);
  // 48 cached entries (3 MiB) at 100 ms per MiB: every answer takes about 300 ms.
  const plugin = await startDemoPlugin(port, { MS_PER_MB: '100', PRELOAD_ENTRIES: '48' });
  const serve = launch(dir, serveEnv(), ['--cron', '--port', '0']);
  try {
    const url = await serve.listening;
    const record = await ended(url, 'plugin_cache_clear');
    assert.is((await plugin.stats()).clears, 1, 'the cache-clear hook was called once');
    assert.is((await plugin.stats()).entries, 0);
    assert.is(record.outcome, 'fixed', JSON.stringify(record.verification));
    assert.is(record.verification?.results.length, 2, 'the check was run again twice');
    assert.ok(record.verification!.results.every((r) => r.ok));

    // The outcome is logged, then the incident is resolved: the two land a moment apart.
    const incident = await eventually(async () => {
      const i = (await api(url, `/api/incidents/${encodeURIComponent(record.incident)}`)).data;
      return i.status === 'resolved' ? i : undefined;
    }, { timeoutMs: 10_000, what: `incident ${record.incident} to be resolved after a fixed remediation` });
    assert.is(incident.ruleId, 'plugin-latency-high');
    assert.is(incident.status, 'resolved');
    const verification = incident.timeline.find((e: { kind: string }) => e.kind === 'verification');
    assert.ok(verification, 'the re-run is on the timeline');
    const check = (await api(url, '/api/checks/plugin-latency')).data;
    assert.is(check.healthy, true);
    assert.is((await stop({ ...serve, url, lines: serve.lines }, 'SIGTERM')).code, 0);
  } finally {
    await plugin.stop();
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await receiver.close();
  }
});

test.run();
