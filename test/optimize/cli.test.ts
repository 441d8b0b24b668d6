// `pluginops optimize analyze` as a user runs it: the shipped example from its metrics file (the
// suggestions, the plugin with too little data said so, JSON output, --fail-on as a CI gate), and
// bad input — a metrics file with a bad value (file:line:col), an empty or missing file, documents
// whose references do not resolve (file:line:col from the loader), no Optimization at all —
// each a clear message and a non-zero exit, never a stack trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, project, root } from '../cli/helpers.ts';

const example = ['-c', join(root, 'examples/optimization/pluginops.yml'), '--metrics', join(root, 'examples/optimization/metrics.csv')];

const noTrace = (text: string) => assert.not.match(text, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');

test('the shipped example: a workers suggestion for image-resizer, none for thumbnailer, too little data for pdf-export', async () => {
  const r = await cli(['optimize', 'analyze', ...example], root);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /media-plugins · image-resizer\n\s+• scale_workers 4 → \d+ workers/);
  assert.match(r.stdout, /thumbnailer\n\s+– workers: latency p90 \d+ ms against the target 200 ms: keep 4 workers/);
  assert.match(r.stdout, /Latency p90 \d+ ms is over the target 200 ms\. Raise workers from 4 to \d+\./);
  assert.match(r.stdout, /pdf-export\n\s+– workers: latency: 8 samples over 35m; needs 100 samples over 3h/);
});

test('--json, --plugin, and --fail-on as a gate', async () => {
  const r = await cli(['optimize', 'analyze', ...example, '--plugin', 'image-resizer', '--json'], root);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { results: Array<{ plugin: string; analyses: Array<{ type?: string; value?: number; confidence?: number }> }> };
  assert.equal(out.results.map((x) => x.plugin), ['image-resizer']);
  const workers = out.results[0]!.analyses.find((a) => a.type === 'scale_workers')!;
  assert.ok(workers.value! > 4 && workers.confidence! > 0 && workers.confidence! < 1);
  assert.is((await cli(['optimize', 'analyze', ...example, '--fail-on', 'high'], root)).code, 1);
  assert.is((await cli(['optimize', 'analyze', ...example, '--fail-on', 'critical'], root)).code, 0);
  const nope = await cli(['optimize', 'analyze', ...example, '--plugin', 'nope'], root);
  assert.is(nope.code, 2);
  assert.match(nope.stderr, /no Optimization analyses plugin `nope`; expected one of: image-resizer, thumbnailer, pdf-export/);
  const bad = await cli(['optimize', 'analyze', ...example, '--fail-on', 'severe'], root);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--fail-on expects one of low, medium, high, critical/);
});

test('a metrics file with a bad value, an empty one, a missing one: located errors, exit 1', async () => {
  const dir = project({});
  writeFileSync(join(dir, 'other.csv'), 'timestamp,plugin,metric,value\n1764979200000,image-resizer,latncy,12\n');
  const other = await cli(['optimize', 'analyze', '-c', join(root, 'examples/optimization/pluginops.yml'), '--metrics', join(dir, 'other.csv')], dir);
  assert.is(other.code, 0);
  assert.match(other.stderr, /1 series no Optimization reads \(plugin · metric\): image-resizer · latncy/);
  writeFileSync(join(dir, 'bad.csv'), 'timestamp,plugin,metric,value\n1764979200000,image-resizer,latency,12\n1764979260000,image-resizer,latency,fast\n');
  writeFileSync(join(dir, 'empty.csv'), '');
  const cfg = ['-c', join(root, 'examples/optimization/pluginops.yml')];
  let r = await cli(['optimize', 'analyze', ...cfg, '--metrics', join(dir, 'bad.csv')], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /bad\.csv:3:\d+: .*value/);
  noTrace(r.stderr);
  r = await cli(['optimize', 'analyze', ...cfg, '--metrics', join(dir, 'empty.csv')], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /empty/);
  r = await cli(['optimize', 'analyze', ...cfg, '--metrics', join(dir, 'nope.csv')], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /nope\.csv/);
  noTrace(r.stderr);
});

const opt = (body: string) => `apiVersion: pluginops/v1
kind: Optimization
metadata: { id: tuning }
spec:
  plugins: [api]
${body}`;

test('documents whose references do not resolve: each problem with file:line:col, exit 1', async () => {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\ndocuments: [docs]\n',
    'docs/opt.yml': opt(`  metrics:
    latency: { healthCheck: missing-check, field: responseTime }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latncy
      current: workers
      target: 200
      apply: { runbook: no_such_plan, with: { workers: "\${{ value }}" } }
`),
  });
  let r = await cli(['optimize', 'analyze'], dir);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /docs\/opt\.yml:11:\d+: E_UNKNOWN_REFERENCE metric `latncy` is not declared under spec.metrics; expected one of: latency, workers/);
  noTrace(r.stderr);
  // The schema-level and single-document rules are `validate`'s too.
  r = await cli(['validate', 'docs/opt.yml'], dir);
  assert.is(r.code, 1);
  assert.match(r.stdout + r.stderr, /opt\.yml:11:\d+/);
  // Fixed metric name: now the references to other documents are what is wrong.
  writeFileSync(join(dir, 'docs/opt.yml'), opt(`  metrics:
    latency: { healthCheck: missing-check, field: responseTime }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency
      current: workers
      target: 200
      apply: { runbook: no_such_plan, with: { workers: "\${{ value }}", colour: "\${{ tone }}" } }
`));
  r = await cli(['optimize', 'analyze'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /opt\.yml:14:\d+: E_EXPRESSION `\$\{\{ tone \}\}` is not known here/);
  writeFileSync(join(dir, 'docs/opt.yml'), opt(`  metrics:
    latency: { healthCheck: missing-check, field: responseTime }
    workers: { pushed: workers }
  analyzers:
    workers:
      latency: latency
      current: workers
      target: 200
      apply: { runbook: no_such_plan, with: { workers: "\${{ value }}" } }
`));
  r = await cli(['optimize', 'analyze'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /opt\.yml:7:\d+: E_UNKNOWN_REFERENCE there is no HealthCheck `missing-check`/);
  // `validate` of the whole project says the same, for a CI gate without serve.
  const v = await cli(['validate'], dir);
  assert.is(v.code, 1);
  assert.match(v.stderr, /opt\.yml:7:\d+: E_UNKNOWN_REFERENCE there is no HealthCheck `missing-check`/);
  assert.match(v.stderr, /opt\.yml:14:\d+: E_UNKNOWN_REFERENCE there is no ActionPlan `no_such_plan`/);
  assert.match(r.stderr, /opt\.yml:14:\d+: E_UNKNOWN_REFERENCE there is no ActionPlan `no_such_plan`/);
  noTrace(r.stderr);
});

test('no Optimization document: says what to add, exit 2', async () => {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n' });
  const r = await cli(['optimize', 'analyze'], dir);
  assert.is(r.code, 2);
  assert.match(r.stderr, /no Optimization document/);
});

test.run();
