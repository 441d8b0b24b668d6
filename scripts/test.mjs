// The test command: type check, the dist/ freshness check, then every test/**/*.test.ts under uvu, then one closing line
// `N passed, N failed, N skipped` computed from uvu's own summary. A crash before uvu's summary,
// an empty test folder, or a test file that never calls `.run()` counts as a failure.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const uvuBin = join(dirname(require.resolve('uvu')), '..', 'bin.js');
const filter = process.argv[2] ?? '';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

let failed = 0;
const files = testFiles(join(root, 'test')).filter((f) => f.includes(filter));
if (files.length === 0) { console.error('no test files found'); failed++; }
for (const f of files) {
  if (!/\.run\(\)/.test(readFileSync(f, 'utf8'))) {
    console.error(`${relative(root, f)}: never calls .run(), its tests would not execute`);
    failed++;
  }
}

// Some tests run what npm does not install (a real Prometheus and PostgreSQL; PyYAML and pytest for python3):
// install them first (scripts/test-deps.sh, a no-op when all is there), or stop the whole run with
// the script's message rather than skip those tests.
{
  const deps = spawnSync('bash', [join(root, 'scripts', 'test-deps.sh')], { cwd: root, stdio: 'inherit' });
  if (deps.status !== 0) {
    console.error(`scripts/test-deps.sh failed (${deps.error ? deps.error.message : `exit ${deps.status ?? deps.signal}`}); not running any test`);
    console.log(`\n0 passed, ${failed + 1} failed, 0 skipped`);
    process.exit(1);
  }
}

if (!process.env.SKIP_TYPECHECK) {
  const tscBin = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const tsc = spawnSync(process.execPath, [tscBin, '--noEmit', '-p', root], { stdio: 'inherit' });
  if (tsc.status !== 0) { console.error('type check failed'); failed++; }
}

if (!process.env.SKIP_TYPECHECK) {
  const dist = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--check'], { stdio: 'inherit' });
  if (dist.status !== 0) { console.error('dist/ is stale against src/'); failed++; }
}

// Every temporary file the tests make goes under one directory, removed at the end.
const scratch = mkdtempSync(join(tmpdir(), 'pluginops-tests-'));
// One PostgreSQL server for the whole run (scripts/pg-cluster.mjs); each test file that needs it
// makes a database of its own there (test/pg/cluster.ts).
const { startCluster } = await import('./pg-cluster.mjs');
const cluster = await startCluster();
process.on('exit', () => cluster.stop());
let passed = 0, skipped = 0;
/** One file under uvu in a process of its own; resolves with what it printed and how it ended. */
function runFile(f) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', uvuBin, dirname(relative(root, f)), `^${f.split('/').pop().replace(/\./g, '\\.')}$`, '--no-color'], {
      cwd: root, env: { ...process.env, FORCE_COLOR: '0', TMPDIR: scratch, PLUGINOPS_TEST_PG: cluster.url }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
    child.on('close', (status, signal) => resolve({ stdout, stderr, status, signal }));
  });
}
function count(f, r) {
  const rel = relative(root, f);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  const total = /Total:\s+(\d+)/.exec(r.stdout);
  const ok = /Passed:\s+(\d+)/.exec(r.stdout);
  const skip = /Skipped:\s+(\d+)/.exec(r.stdout);
  if (!total || !ok) { console.error(`${rel}: crashed before uvu's summary (exit ${r.status ?? r.signal})`); failed++; return; }
  const t = Number(total[1]), p = Number(ok[1]);
  if (t === 0) { console.error(`${rel}: ran no test`); failed++; }
  passed += p; failed += t - p; skipped += skip ? Number(skip[1]) : 0;
  if (r.status !== 0 && t === p) { console.error(`${rel}: exited ${r.status}`); failed++; }
}
// Two files at a time (TEST_LANES to change it): most of a file's time is starting Node and
// loading TypeScript, or waiting on a child process, so two lanes roughly halve the run on two
// cores. Each file's output is printed whole when it ends.
const lanes = Math.max(1, Number(process.env.TEST_LANES ?? 2) || 1);
const queue = [...files];
await Promise.all(Array.from({ length: lanes }, async () => {
  for (let f = queue.shift(); f; f = queue.shift()) count(f, await runFile(f));
}));

cluster.stop();
rmSync(scratch, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
