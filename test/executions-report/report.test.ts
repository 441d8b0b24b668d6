// `pluginops executions report ID --html FILE`: one self-contained HTML file from the store,
// without a server; every value escaped, nothing loaded from elsewhere; clear errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import { cli, project, workflow } from '../cli/helpers.ts';

const xss = '<img src=x onerror=alert(1)>';
const steps = `    - id: fetch
      run: echo 'fetched ${xss}'
    - id: build
      needs: [fetch]
      run: echo built
    - id: lint
      needs: [fetch]
      run: echo linted
    - id: ship
      needs: [build, lint]
      run: echo "shipping \${{ params.note }}"
`;
const params = '  parameters: { note: { type: string, default: none } }\n';

async function ran(): Promise<{ dir: string; id: string }> {
  const dir = project({ 'pipelines/ship.yml': workflow('ship', steps, params) });
  const r = await cli(['run', 'ship', '-p', `note=${xss}`], dir);
  assert.is(r.code, 0, r.stderr);
  const [e] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ id: string }>;
  const store = await openFileStore(join(dir, '.pluginops'));
  await store.update(e!.id, { type: 'artifact', artifact: { name: `site-${xss}.tar.gz`, path: 'out/site.tar.gz', size: 12345, sha256: 'ab'.repeat(32) } });
  await store.close();
  return { dir, id: e!.id };
}

test('writes one self-contained file: graph, steps, timing, logs, artifacts; every value escaped', async () => {
  const { dir, id } = await ran();
  const r = await cli(['executions', 'report', id, '--html', 'report.html'], dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote the report of execution/);
  const page = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(page, /^<!doctype html>/);
  for (const s of ['fetch', 'build', 'lint', 'ship']) assert.match(page, new RegExp(`<tr id="step-${s}">`), s);
  assert.match(page, /<svg class="step-graph"/);
  assert.is((page.match(/<path class="edge"/g) ?? []).length, 4, 'the four needs edges');
  assert.match(page, /class="bar-track" role="img"/);
  assert.match(page, /\[fetch\] fetched &lt;img src=x onerror=alert\(1\)&gt;/, 'the log line, escaped');
  assert.match(page, /<code>&lt;img src=x onerror=alert\(1\)&gt;<\/code>/, 'the parameter, escaped');
  assert.match(page, /site-&lt;img src=x onerror=alert\(1\)&gt;\.tar\.gz/);
  assert.match(page, /12,345/);
  assert.match(page, /<h2 id="risk-h">/, 'the risk assessed before the run');
  assert.match(page, /not enough data: 0 finished runs of ship, 5 needed/);
  assert.match(page, new RegExp('ab'.repeat(32)));
  assert.not.match(page, /<img/i, 'no image element anywhere');
  assert.not.match(page, /<script/i, 'no script');
  assert.not.match(page, /https?:\/\//, 'no URL to load anything from');
  assert.not.match(page, /<link /, 'no external style sheet');
  assert.match(page, /<style>[\s\S]*--ok-bg/, 'the styles inlined');
  assert.match(page, /Content-Security-Policy" content="default-src &#39;none&#39;/);
});

test('in Korean with --lang ko', async () => {
  const { dir, id } = await ran();
  const r = await cli(['executions', 'report', id, '--html', 'r.html', '--lang', 'ko'], dir);
  assert.is(r.code, 0, r.stderr);
  const page = readFileSync(join(dir, 'r.html'), 'utf8');
  assert.match(page, /<html lang="ko">/);
  assert.match(page, /실행 보고서/);
  assert.match(page, /성공/);
});

test('bad input: unknown id, missing --html, unwritable file, bad --lang — clear errors, non-zero exits', async () => {
  const { dir, id } = await ran();
  const unknown = await cli(['executions', 'report', 'nope-123', '--html', 'x.html'], dir);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /no execution nope-123/);
  assert.not.match(unknown.stderr, /\n\s+at /, 'no stack trace');
  const traversal = await cli(['executions', 'report', '../../etc/passwd', '--html', 'x.html'], dir);
  assert.is(traversal.code, 1);
  assert.match(traversal.stderr, /no execution \.\.\/\.\.\/etc\/passwd/);
  const noFile = await cli(['executions', 'report', id], dir);
  assert.is(noFile.code, 2);
  assert.match(noFile.stderr, /--html FILE is required/);
  const missingDir = await cli(['executions', 'report', id, '--html', 'no/such/dir/r.html'], dir);
  assert.is(missingDir.code, 1);
  assert.match(missingDir.stderr, /cannot write the report to .*r\.html \(ENOENT\)/);
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0o500);
  const locked = await cli(['executions', 'report', id, '--html', 'locked/r.html'], dir);
  if (process.getuid?.() !== 0) { assert.is(locked.code, 1); assert.match(locked.stderr, /cannot write the report/); }
  const lang = await cli(['executions', 'report', id, '--html', 'r.html', '--lang', 'fr'], dir);
  assert.is(lang.code, 2);
  assert.match(lang.stderr, /--lang is en or ko/);
});

test.run();
