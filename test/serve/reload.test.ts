// Reloading the configuration of a running `pluginops serve --cron` (one process for the file, its
// tests in order): SIGHUP picks up a new health check; an invalid edit saved while running is
// refused with file:line:col (no signal: the file watch sees it), the last good checks keep
// running and /readyz and /api/status say the configuration is stale, until a fixed file reloads
// again, for documents and for the project file alike; a project file that disappears is refused
// rather than replaced by the defaults. An invalid project file or document on the first start
// stops the process with the problem on stderr and no stack trace.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../cli/helpers.ts';
import { eventually, readToken, serveWorld, type ServeWorld } from './helpers.ts';
import { launch, messages, sample, startServe, type Launch, type Launched } from './process.ts';

const check = (id: string, path: string) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: ${id} }
spec:
  type: http
  url: "{service}${path}"
  interval: 500ms
  stagger: 0s
  timeout: 1s
`;

let w: ServeWorld;
let p: Launched;
let documentFile: string, projectFile: string;
const withService = (text: string) => text.replaceAll('{service}', w.service.url);

/** A project whose file is invalid, and the process started on it (at the same time as the good one). */
let bad: { dir: string; run: Launch };

test.before(async () => {
  // serveWorld writes a `monitoring:` section, which must not be empty.
  w = await serveWorld({ documents: check('api', '/health'), monitoring: ['acknowledgeTimeout: 30m'] });
  documentFile = join(w.dir, 'pipelines', 'monitor.yml');
  projectFile = join(w.dir, 'pluginops.yml');
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-serve-bad-'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\nserver:\n  port: nope\n');
  writeFileSync(join(dir, 'pipelines', 'monitor.yml'), withService(check('api', '/health')));
  bad = { dir, run: launch(dir, w.env, ['--port', '0', '--cron']) };
  p = await startServe(w, ['--port', '0', '--cron']);
});
test.after(async () => { await w.close(); });

const runs = () => sample(p.url, 'pluginops_checks_run_total');
const reloads = (outcome: 'success' | 'failure') => sample(p.url, 'pluginops_config_reloads_total', `outcome="${outcome}"`);
const checkIds = async () => ((await w.api('GET', '/api/checks', { token: readToken })).body.data as Array<{ id: string }>).map((c) => c.id);
const lastRun = async (id: string) => (await w.api('GET', `/api/checks/${id}`, { token: readToken })).body.data?.last?.at as number | undefined;
/** Log messages from index `from` on, once one matches `what`. */
async function loggedSince(from: number, what: RegExp): Promise<string[]> {
  try {
    return await eventually(() => {
      const since = messages(p).slice(from);
      return since.some((m) => what.test(m)) ? since : undefined;
    }, { timeoutMs: 5_000 });
  } catch {
    throw new Error(`no log line like ${what}; got: ${messages(p).slice(from).join(' | ')}`);
  }
}

/** Saves a file the way editors do: a temporary file renamed over the old one. */
function save(path: string, text: string): void {
  writeFileSync(`${path}.swp`, text);
  renameSync(`${path}.swp`, path);
}

test('SIGHUP after adding a second HealthCheck: reloaded, listed by the API, and running', async () => {
  await eventually(() => lastRun('api'), { what: 'the first check running' });
  assert.equal(await checkIds(), ['api']);
  const from = p.lines.length;

  writeFileSync(documentFile, withService(`${check('api', '/health')}---\n${check('api-two', '/other')}`));
  const sentAt = Date.now();
  p.child.kill('SIGHUP');

  const logged = await loggedSince(from, /^configuration reloaded \(SIGHUP\)$/);
  assert.is(p.lines.slice(from).find((l) => l.msg === 'configuration reloaded (SIGHUP)')!.checks, 2);
  assert.not.ok(logged.some((m) => m.startsWith('reload refused')));
  assert.equal(await checkIds(), ['api', 'api-two']);
  const first = await eventually(() => lastRun('api-two'), { what: 'the new check running' });
  assert.ok(first >= sentAt, 'the new check ran after the reload');
  assert.ok(await reloads('success') >= 1);
  assert.is(await reloads('failure'), 0);
  assert.is(p.child.exitCode, null, 'SIGHUP did not stop the process');
  // The file watch saw the same write and reloads once more by itself.
  await loggedSince(from, /^configuration reloaded \(files changed\)$/);
});

test('an invalid document saved while running is refused with file:line:col; the old checks keep running; the fix reloads', async () => {
  const good = readFileSync(documentFile, 'utf8');
  // A YAML syntax error, then a schema error (an unknown check type on line 5, column 9), each saved without a signal.
  const cases: Array<[string, string, RegExp]> = [
    ['YAML', good.replace('  interval: 500ms', '  interval: [500ms'), /^reload refused: pipelines\/monitor\.yml:\d+:\d+: E_\w+ /],
    ['schema', good.replace('type: http', 'type: gopher'), /^reload refused: pipelines\/monitor\.yml:5:9: E_\w+ .*gopher/],
  ];
  for (const [what, text, refused] of cases) {
    const from = p.lines.length;
    save(documentFile, text);
    const logged = await loggedSince(from, refused);
    assert.ok(logged.includes('the last good configuration keeps running'), what);
    assert.not.ok(logged.some((m) => m.startsWith('configuration reloaded')), `${what}: nothing was reloaded`);

    const ready = await w.api('GET', '/readyz');
    assert.is(ready.body.components.config, 'stale', what);
    assert.match(ready.body.configError, /^pipelines\/monitor\.yml:\d+:\d+: E_/);
    const status = await w.api('GET', '/api/status', { token: readToken });
    assert.is(status.status, 200);
    assert.match(status.body.data.config.error, /^pipelines\/monitor\.yml:\d+:\d+: E_/);

    const before = await runs();
    await eventually(async () => (await runs()) >= before + 2, { timeoutMs: 3_000, what: `${what}: the old checks still running` });
    assert.equal(await checkIds(), ['api', 'api-two']);
  }
  assert.is(await reloads('failure'), 2);
  assert.ok(p.lines.filter((l) => l.level === 'error').every((l) => String(l.msg).startsWith('reload refused: ')), 'no other error was logged');

  const from = p.lines.length;
  save(documentFile, good.replace(/---[^]*$/, ''));
  await loggedSince(from, /^configuration reloaded \(files changed\)$/);
  const ready = await w.api('GET', '/readyz');
  assert.is(ready.status, 200);
  assert.is(ready.body.components.config, 'loaded');
  assert.is(ready.body.configError, undefined);
  const status = await w.api('GET', '/api/status', { token: readToken });
  assert.is(status.body.data.config.error, undefined);
  assert.equal(await checkIds(), ['api'], 'the fixed file is what runs');
});

test('an invalid project file saved while running is refused, and fixing it reloads again', async () => {
  const good = readFileSync(projectFile, 'utf8');
  let from = p.lines.length;
  save(projectFile, good.replace('  grace: 3s', '  grace: 3s\n  colour: blue'));
  await loggedSince(from, /^reload refused: pluginops\.yml:\d+:\d+: E_\w+ .*colour/);
  assert.is((await w.api('GET', '/readyz')).body.components.config, 'stale');

  from = p.lines.length;
  save(projectFile, good);
  await loggedSince(from, /^configuration reloaded \(files changed\)$/);
  assert.is((await w.api('GET', '/readyz')).body.components.config, 'loaded');
});

test('a project file that disappears is refused, not replaced by the defaults; putting it back reloads', async () => {
  const good = readFileSync(projectFile, 'utf8');
  let from = p.lines.length;
  rmSync(projectFile);
  await loggedSince(from, /^reload refused: pluginops\.yml:1:1: E_FILE_NOT_FOUND /);
  // The tokens of the last good configuration still hold.
  assert.is((await w.api('GET', '/api/status', { token: readToken })).status, 200);
  assert.is((await w.api('GET', '/readyz')).body.components.config, 'stale');

  from = p.lines.length;
  writeFileSync(projectFile, good);
  await loggedSince(from, /^configuration reloaded \(files changed\)$/);
  assert.is((await w.api('GET', '/readyz')).body.components.config, 'loaded');
});

test('an invalid project file or document on the first start: exit 1, file:line:col on stderr, no stack trace', async () => {
  const { dir, run } = bad;
  const exit = await run.exited;
  assert.is(exit.code, 1, run.stderr());
  assert.match(run.stderr(), /^pluginops\.yml:4:3: E_\w+ /m);
  assert.not.match(run.stderr(), /\n\s+at /, 'no stack trace');
  assert.is(run.stdout(), '', 'never listened');

  // The same exit for a document, through the same code without a process of its own.
  writeFileSync(join(dir, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\n');
  writeFileSync(join(dir, 'pipelines', 'monitor.yml'), withService(check('api', '/health')).replace('type: http', 'type: gopher'));
  const r = await cli(['serve', '--port', '0', '--cron'], dir);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /^pipelines\/monitor\.yml:5:9: E_\w+ .*gopher/m);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.is(r.stdout, '');
});

test.run();
