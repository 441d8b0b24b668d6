// The six shipped runbooks (ActionPlan templates), run by id through the CLI in temp projects,
// with real processes, files and a loopback HTTP server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../cli/helpers.ts';
import { cli, deliveryProject, events, finished, ledger, liveRelease, stepEvent } from '../delivery/helpers.ts';

const runbooks = ['SYSTEM_CHECK', 'restart_plugin', 'clear_cache', 'scale_workers', 'rollback_plugin', 'collect_diagnostics'];

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `pluginops-runbook-${prefix}-`));

/** `pluginops run ID --json -p k=v …` in `dir`: exit code, the events and the steps' outcomes. */
async function run(dir: string, id: string, params: Record<string, string | number> = {}) {
  const r = await cli(['run', id, '--json', ...Object.entries(params).flatMap(([k, v]) => ['-p', `${k}=${v}`])], dir);
  const evs = events(r.stdout);
  return { ...r, evs, steps: finished(evs), outputs: (step: string) => stepEvent(evs, step)?.outputs ?? {} };
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

test('the six runbooks are shipped and `pluginops validate pipelines` stays clean', async () => {
  for (const id of runbooks) assert.ok(existsSync(join(root, 'pipelines', `${id}.yml`)), id);
  const r = await cli(['validate', 'pipelines'], root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const planned = await cli(['plan', 'SYSTEM_CHECK'], tempDir('plan'));
  assert.is(planned.code, 0, planned.stdout + planned.stderr);
  assert.match(planned.stdout, /report/);
});

test('SYSTEM_CHECK with generous thresholds succeeds; its report has every section', async () => {
  const { server, port } = await listen((_req, res) => res.end('ok'));
  try {
    const r = await run(tempDir('check'), 'SYSTEM_CHECK', { diskWarnPercent: 101, memWarnPercent: 101, loadPerCore: 10_000, ports: port, processes: 'node' });
    assert.is(r.code, 0, r.stderr + r.stdout.slice(-3000));
    assert.equal(r.steps, { disk: 'success', memory: 'success', load: 'success', ports: 'success', processes: 'success', report: 'success' });
    const report = JSON.parse(r.outputs('report').report!);
    assert.is(report.ok, true);
    assert.ok(report.disk.mounts.length >= 1);
    assert.ok(report.disk.mounts.every((m: { usedPercent: number; ok: boolean }) => m.ok && m.usedPercent >= 0 && m.usedPercent <= 100));
    assert.ok(report.memory.totalKb > 0 && report.memory.usedPercent >= 0);
    assert.ok(report.load.cores >= 1 && typeof report.load.perCore === 'number');
    assert.ok(report.ports.listening.includes(port));
    assert.equal(report.ports.expected, [{ port, listening: true }]);
    assert.equal(report.processes.processes.map((p: { name: string; running: boolean }) => [p.name, p.running]), [['node', true]]);
    assert.match(r.stdout, /every check is within its threshold/);
  } finally {
    server.close();
  }
});

test('SYSTEM_CHECK with diskWarnPercent 1 fails the disk step only; the report says why', async () => {
  const r = await run(tempDir('check'), 'SYSTEM_CHECK', { diskWarnPercent: 1, memWarnPercent: 101, loadPerCore: 10_000 });
  assert.is(r.code, 1);
  assert.equal(r.steps, { disk: 'failed', memory: 'success', load: 'success', ports: 'success', processes: 'success', report: 'success' });
  const report = JSON.parse(r.outputs('report').report!);
  assert.is(report.ok, false);
  assert.is(report.disk.ok, false);
  assert.ok(report.disk.mounts.some((m: { ok: boolean }) => !m.ok));
  assert.is(report.memory.ok, true);
  assert.match(r.stdout, /beyond threshold or not measured: disk/);
});

test('SYSTEM_CHECK fails the ports and processes steps for what is not there', async () => {
  const r = await run(tempDir('check'), 'SYSTEM_CHECK', { diskWarnPercent: 101, memWarnPercent: 101, loadPerCore: 10_000, ports: '1', processes: 'no-such-process-x' });
  assert.is(r.code, 1);
  assert.is(r.steps.ports, 'failed');
  assert.is(r.steps.processes, 'failed');
  const report = JSON.parse(r.outputs('report').report!);
  assert.equal(report.ports.expected, [{ port: 1, listening: false }]);
  assert.equal(report.processes.processes, [{ name: 'no-such-process-x', running: false, count: 0 }]);
});

test('restart_plugin runs the command with $PLUGIN, then retries the health URL until it answers 2xx', async () => {
  const dir = tempDir('restart');
  let requests = 0;
  const { server, port } = await listen((_req, res) => { requests++; res.statusCode = requests === 1 ? 503 : 200; res.end(); });
  try {
    const marker = join(dir, 'restarted.txt');
    const r = await run(dir, 'restart_plugin', { plugin: 'hello', command: `printf %s "$PLUGIN" > '${marker}'`, healthUrl: `http://127.0.0.1:${port}/health` });
    assert.is(r.code, 0, r.stderr + r.stdout.slice(-2000));
    assert.equal(r.steps, { restart: 'success', health: 'success' });
    assert.is(readFileSync(marker, 'utf8'), 'hello');
    assert.is(r.outputs('restart').restarted, 'true');
    assert.is(requests, 2);
    assert.is(r.outputs('health').status, '200');
  } finally {
    server.close();
  }
});

test('restart_plugin without a command restarts nothing, says so, and skips the health check', async () => {
  const r = await run(tempDir('restart'), 'restart_plugin', { plugin: 'hello' });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.equal(r.steps, { restart: 'success', health: 'skipped' });
  assert.is(r.outputs('restart').restarted, 'false');
  assert.match(r.stdout, /no restart command given/);
});

test('clear_cache deletes only the files older than `olderThan` days and reports the bytes freed', async () => {
  const dir = tempDir('cache');
  const cache = join(dir, 'cache');
  mkdirSync(join(cache, 'nested'), { recursive: true });
  const files = { 'old.bin': [1000, 10], 'nested/old.bin': [234, 30], 'fresh.bin': [500, 0], 'nested/recent.bin': [50, 3] } as const;
  for (const [name, [size, age]] of Object.entries(files)) {
    writeFileSync(join(cache, name), Buffer.alloc(size));
    utimesSync(join(cache, name), daysAgo(age), daysAgo(age));
  }
  const r = await run(dir, 'clear_cache', { path: cache, olderThan: 7 });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.equal([r.outputs('clear').bytesFreed, r.outputs('clear').files], ['1234', '2']);
  assert.equal(Object.keys(files).map((f) => [f, existsSync(join(cache, f))]), [['old.bin', false], ['nested/old.bin', false], ['fresh.bin', true], ['nested/recent.bin', true]]);
  assert.ok(existsSync(join(cache, 'nested')), 'directories stay');
});

// Refused by the script's own checks (the `check` step fails, `clear` never runs) or, for what
// is not a plain absolute path, by the parameter's `format` before any step (E_PARAMETER).
const refused: Array<{ path: string; why: RegExp; by: 'check' | 'parameter' }> = [
  { path: '/', why: /is the root directory/, by: 'check' },
  { path: '', why: /it is empty/, by: 'check' },
  { path: '/usr', why: /top-level directory/, by: 'check' },
  { path: 'cache', why: /E_PARAMETER: parameter `path` is "cache": it does not start with `\/`/, by: 'parameter' },
  { path: '/tmp/../', why: /E_PARAMETER: parameter `path` is "\/tmp\/..\/": it has an empty segment/, by: 'parameter' },
  { path: '//', why: /E_PARAMETER: parameter `path` is "\/\/": it has an empty segment/, by: 'parameter' },
  { path: '/tmp/./x', why: /E_PARAMETER: .* it has a `\.` segment/, by: 'parameter' },
];
for (const { path, why, by } of refused) {
  test(`clear_cache refuses ${JSON.stringify(path)} before deleting anything`, async () => {
    const dir = tempDir('cache');
    const r = await run(dir, 'clear_cache', { path, olderThan: 0 });
    if (by === 'check') {
      assert.is(r.code, 1);
      assert.equal(r.steps, { check: 'failed', clear: 'skipped' });
      assert.match(r.stdout, why);
    } else {
      assert.is(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.steps, {});
      assert.match(r.stderr, why);
    }
  });
}

test('scale_workers passes the worker count to the command as $WORKERS', async () => {
  const dir = tempDir('scale');
  const file = join(dir, 'workers.txt');
  const r = await run(dir, 'scale_workers', { plugin: 'hello', workers: 12, command: `printf '%s %s' "$PLUGIN" "$WORKERS" > '${file}'` });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(readFileSync(file, 'utf8'), 'hello 12');
  assert.equal([r.outputs('scale').workers, r.outputs('scale').scaled], ['12', 'true']);
});

test('scale_workers refuses counts outside 1..64 and fractions, without running the command', async () => {
  const dir = tempDir('scale');
  const file = join(dir, 'ran.txt');
  for (const workers of [0, 65, 2.5]) {
    const r = await run(dir, 'scale_workers', { plugin: 'hello', workers, command: `touch '${file}'` });
    assert.is(r.code, 1, String(workers));
    assert.match(r.stdout, /expected a whole number from 1 to 64/);
  }
  assert.not.ok(existsSync(file));
});

test('rollback_plugin restores the release before the live one, and `to` a version', async () => {
  const dir = deliveryProject('hello', 'broken-health');
  for (const plugin of ['hello', 'broken-health']) {
    const d = await cli(['run', 'quick_deploy', '--plugin', `plugins/${plugin}`, '-q'], dir);
    assert.is(d.code, 0, d.stderr + d.stdout);
  }
  const [v1, v2] = ledger(dir, 'hello').map((l) => `releases/${l.release}`);
  assert.is(liveRelease(dir, 'hello'), v2);
  const back = await run(dir, 'rollback_plugin', { plugin: 'hello' });
  assert.is(back.code, 0, back.stderr + back.stdout);
  assert.is(liveRelease(dir, 'hello'), v1);
  assert.is(back.outputs('rollback').version, '1.0.0');
  const forward = await run(dir, 'rollback_plugin', { plugin: 'hello', to: '2.0.0' });
  assert.is(forward.code, 0, forward.stderr + forward.stdout);
  assert.is(liveRelease(dir, 'hello'), v2);
  assert.equal(ledger(dir, 'hello').map((l) => [l.action, l.version]), [['deploy', '1.0.0'], ['deploy', '2.0.0'], ['rollback', '1.0.0'], ['rollback', '2.0.0']]);
});

test('collect_diagnostics packs log tails and system state into a .tar.gz', async () => {
  const dir = tempDir('diag');
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  writeFileSync(join(logs, 'app.log'), Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
  writeFileSync(join(logs, 'stale.log'), 'old\n');
  utimesSync(join(logs, 'stale.log'), daysAgo(2), daysAgo(2));
  writeFileSync(join(dir, 'single.log'), 'one\n');
  const r = await run(dir, 'collect_diagnostics', { incident: 'INC 42', since: 60, lines: 10, paths: `${logs}, ${join(dir, 'single.log')}` });
  assert.is(r.code, 0, r.stderr + r.stdout);
  const archive = r.outputs('pack').archive!;
  assert.match(archive, /\/\.pluginops\/diagnostics\/INC_42-\d{8}T\d{6}Z\.tar\.gz$/);
  assert.ok(archive.startsWith(`${realpathSync(dir)}/`), archive);
  const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
  const top = listing[0]!.split('/')[0]!;
  const names = listing.map((l) => l.slice(top.length + 1)).filter((l) => l && !l.endsWith('/'));
  for (const f of ['system.txt', 'ps.txt', 'df.txt', 'uptime.txt', 'memory.txt']) assert.ok(names.includes(f), `${f} in ${names.join(', ')}`);
  const appLog = names.find((n) => n.startsWith('logs/') && n.endsWith('logs__app.log'));
  assert.ok(appLog, names.join(', '));
  assert.ok(names.some((n) => n.startsWith('logs/') && n.endsWith('single.log')));
  assert.not.ok(names.some((n) => n.includes('stale.log')), 'files of a directory older than `since` are left out');
  const tail = execFileSync('tar', ['-xzOf', archive, `${top}/${appLog}`], { encoding: 'utf8' });
  assert.is(tail, Array.from({ length: 10 }, (_, i) => `line ${i + 991}`).join('\n') + '\n');
  assert.not.ok(existsSync(archive.replace(/\.tar\.gz$/, '')), 'the directory is removed once packed');
});

test.run();
