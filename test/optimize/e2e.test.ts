// Optimization end to end, in a real `serve --cron` against a real loopback "plugin" service whose
// response time depends on a worker count that a runbook changes over HTTP. Health checks measure
// it; the service pushes its worker count to /api/metrics. Three plugins:
//  - fast: latency 240/workers ms — more workers help: the workers suggestion appears with its
//    evidence and confidence, is applied through the API, the runbook changes the setting, the
//    verification measures the improvement → succeeded, with before/after numbers in the history;
//  - slow: latency 30×workers ms — more workers hurt: worse → the revert runs automatically → reverted,
//    and the setting is back where it was;
//  - sparse: like fast, but its Optimization asks for more samples than the window holds → inconclusive.
// Also: a second apply of an applied suggestion is a 409 and runs nothing; the same idempotency
// key answers the same; the verdict reaches the notification channel and /metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, serveWorld, writeToken, readToken, type ServeWorld } from '../serve/helpers.ts';

interface Plugin { workers: number; latency: (workers: number) => number; changes: number[] }

async function pluginService() {
  const plugins: Record<string, Plugin> = {
    fast: { workers: 2, latency: (w) => 240 / w, changes: [] },
    slow: { workers: 2, latency: (w) => 30 * w, changes: [] },
    sparse: { workers: 2, latency: (w) => 240 / w, changes: [] },
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, id, action] = url.pathname.split('/');
    const p = id ? plugins[id] : undefined;
    req.resume();
    if (!p) { res.writeHead(404).end(); return; }
    if (req.method === 'POST' && action === 'workers') {
      const n = Number(url.searchParams.get('n'));
      if (!Number.isInteger(n) || n < 1 || n > 64) { res.writeHead(400).end('bad count'); return; }
      p.workers = n;
      p.changes.push(n);
      res.writeHead(200).end('ok');
      return;
    }
    setTimeout(() => res.writeHead(200).end('ok'), p.latency(p.workers));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, plugins, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

const checks = (service: string) => ['fast', 'slow', 'sparse'].map((id) => `---
apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: ${id}-http }
spec: { type: http, url: "${service}/${id}", interval: 200ms, timeout: 2s, failureThreshold: 100 }
`).join('');

const optimization = (id: string, plugins: string[], service: string, verifyMinSamples: number) => `---
apiVersion: pluginops/v1
kind: Optimization
metadata: { id: ${id} }
spec:
  plugins: [${plugins.join(', ')}]
  every: 1s
  window: 1h
  minSamples: 10
  minSpan: 2s
  metrics:
    latency: { healthCheck: ${plugins[0]}-http, field: responseTime, unit: ms }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency
      current: workers
      target: ${plugins[0] === 'slow' ? 40 : 80}
      max: 16
      apply:
        runbook: set_workers
        with: { plugin: "\${{ plugin }}", workers: "\${{ value }}", control: "${service}" }
  verify: { warmUp: 1s, window: 3s, minSamples: ${verifyMinSamples}, minEffect: 0.1 }
  guardrails: { cooldown: 1h, timeout: 30s }
  notify: [ops-hook]
`;

const runbook = `---
apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: set_workers }
spec:
  category: performance
  parameters:
    plugin: { type: string, required: true, format: id }
    workers: { type: number, required: true }
    control: { type: string, required: true, format: uri }
  steps:
    - id: set
      env: { PLUGIN: "\${{ params.plugin }}", WORKERS: "\${{ params.workers }}", CONTROL: "\${{ params.control }}" }
      run: |
        node -e "fetch(process.env.CONTROL + '/' + process.env.PLUGIN + '/workers?n=' + process.env.WORKERS, { method: 'POST' }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
`;

let w: ServeWorld;
let svc: Awaited<ReturnType<typeof pluginService>>;
let pushing: ReturnType<typeof setInterval> | undefined;

test.before(async () => { try {
  svc = await pluginService();
  const docs = checks(svc.url) + optimization('fast-opt', ['fast'], svc.url, 8) + optimization('slow-opt', ['slow'], svc.url, 8)
    + optimization('sparse-opt', ['sparse'], svc.url, 500) + runbook;
  w = await serveWorld({ monitoring: ['notify: []'], documents: docs });
  await w.start(['--cron']);
  // The service reports its worker counts, like a plugin's metrics exporter would.
  const push = () => void fetch(`${w.proc!.url}/api/metrics`, {
    method: 'POST', headers: { authorization: `Bearer ${writeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ samples: Object.entries(svc.plugins).map(([plugin, p]) => ({ plugin, metric: 'workers', value: p.workers })) }),
  }).catch(() => undefined);
  push();
  pushing = setInterval(push, 250);
  } catch (e) { console.error("the optimization world did not start:", e); throw e; }
});

test.after(async () => {
  clearInterval(pushing);
  await w?.close();
  await svc?.close();
});

const suggestion = async (plugin: string) => {
  const r = await w.api('GET', `/api/optimization/suggestions?plugin=${plugin}`, { token: readToken });
  return r.status === 200 ? (r.body.data as any[]).find((s) => s.type === 'scale_workers' && s.state === 'active') : undefined;
};

const ended = (id: string) => eventually(async () => {
  const r = await w.api('GET', `/api/optimization/suggestions/${id}`, { token: readToken });
  return ['succeeded', 'reverted', 'inconclusive', 'failed'].includes(r.body.data?.state) ? r.body.data : undefined;
}, { timeoutMs: 40_000, everyMs: 250, what: `suggestion ${id} to end` });

test('a workers suggestion appears with its evidence and confidence; applied, it is verified better → succeeded', async () => {
  const s = await eventually(() => suggestion('fast'), { timeoutMs: 30_000, what: 'the fast plugin\'s workers suggestion' });
  assert.is(s.previous, 2);
  assert.ok(s.value > 2 && s.value <= 16, `value ${s.value}`);
  assert.ok(s.evidence.samples >= 10, `samples ${s.evidence.samples}`);
  assert.ok(s.evidence.percentiles.p90 > 80, `p90 ${s.evidence.percentiles.p90}`);
  assert.ok(s.evidence.chart.length > 0);
  assert.ok(s.confidence > 0 && s.confidence <= 1);
  assert.is(s.apply.runbook, 'set_workers');
  assert.is(s.apply.parameters.workers, s.value);
  assert.ok(s.description.en && s.description.ko);

  const key = 'click-1';
  const applied = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: writeToken, body: { etag: s.etag, key } });
  assert.is(applied.status, 200, JSON.stringify(applied.body));
  assert.ok(['applying', 'verifying'].includes(applied.body.data.state));
  // The same click again answers the same suggestion; another apply with the old etag is refused.
  const again = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: writeToken, body: { etag: s.etag, key } });
  assert.is(again.status, 200);
  assert.is(again.body.data.run.id, applied.body.data.run.id);
  const other = await w.api('POST', `/api/optimization/execute/${s.id}`, { token: writeToken, body: { etag: s.etag } });
  assert.is(other.status, 409);
  assert.is(other.body.code, 'E_CONFLICT');

  const done = await ended(s.id);
  assert.is(done.state, 'succeeded', done.reason);
  assert.equal(svc.plugins.fast!.changes, [s.value], 'the runbook ran once');
  assert.match(done.backup, /\S/, 'a safety backup was taken first');
  assert.is(done.verification.outcome, 'better');
  assert.ok(done.verification.after.median < done.verification.before.median);
  assert.ok(done.verification.before.n >= 8 && done.verification.after.n >= 8);
  const history = await w.api('GET', '/api/optimization/history?plugin=fast', { token: readToken });
  assert.is(history.body.data[0].id, s.id);
  assert.is(history.body.data[0].state, 'succeeded');
  const told = await eventually(() => w.got('/hook').find((n) => JSON.stringify(n).includes(s.id) || JSON.stringify(n).includes('scale_workers on fast')), { what: 'the verdict notification' });
  assert.match(JSON.stringify(told), /succeeded/);
});

test('a change that makes latency worse is reverted automatically → reverted', async () => {
  const s = await eventually(() => suggestion('slow'), { timeoutMs: 30_000, what: 'the slow plugin\'s workers suggestion' });
  const applied = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: writeToken, body: {} });
  assert.is(applied.status, 200, JSON.stringify(applied.body));
  const done = await ended(s.id);
  assert.is(done.state, 'reverted', done.reason);
  assert.is(done.verification.outcome, 'worse');
  assert.ok(done.verification.after.median > done.verification.before.median);
  assert.equal(svc.plugins.slow!.changes, [s.value, 2], 'applied, then put back');
  assert.is(svc.plugins.slow!.workers, 2);
  assert.ok(done.revertRun?.id);
  // Reverted: not suggested again within the cooldown.
  await new Promise((r) => setTimeout(r, 2500));
  assert.is(await suggestion('slow'), undefined);
});

test('too few samples after the change → inconclusive', async () => {
  const s = await eventually(() => suggestion('sparse'), { timeoutMs: 30_000, what: 'the sparse plugin\'s workers suggestion' });
  const applied = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: writeToken, body: {} });
  assert.is(applied.status, 200, JSON.stringify(applied.body));
  const done = await ended(s.id);
  assert.is(done.state, 'inconclusive', done.reason);
  assert.is(done.verification.outcome, 'insufficient');
  assert.match(done.reason, /too little data/);
  const metrics = await fetch(`${w.proc!.url}/metrics`).then((r) => r.text());
  assert.match(metrics, /pluginops_optimization_suggestions\{state="inconclusive"\} [1-9]/);
  assert.match(metrics, /pluginops_optimization_suggestions\{state="succeeded"\} [1-9]/);
});

test('applying an ended suggestion is a conflict and runs nothing', async () => {
  const h = await w.api('GET', '/api/optimization/history', { token: readToken });
  const s = (h.body.data as any[]).find((x) => x.plugin === 'fast');
  const before = svc.plugins.fast!.changes.length;
  const r = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: writeToken, body: {} });
  assert.is(r.status, 409);
  assert.is(r.body.details.reason, 'E_SUGGESTION_STATE');
  assert.is(svc.plugins.fast!.changes.length, before);
  const unknown = await w.api('POST', '/api/optimization/suggestions/sg-nope/apply', { token: writeToken, body: {} });
  assert.is(unknown.status, 404);
  const ro = await w.api('POST', `/api/optimization/suggestions/${s.id}/apply`, { token: readToken, body: {} });
  assert.is(ro.status, 403);
});

test.run();
