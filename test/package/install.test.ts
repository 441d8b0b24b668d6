// The package as a new user meets it: `npm pack`, installed from the tarball into an empty folder
// with `--engine-strict` on the Node that runs the tests (20 here, 24 in CI's matrix), then
// `npx pluginops --help`, `validate`, and `serve --cron` started exactly the way the systemd unit
// and container recipe of docs/serve.md start it, signalled the way systemd and Docker signal it
// (SIGHUP reloads, SIGTERM stops with exit 0, nothing left running).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(import.meta.dirname, '..', '..');
const servePage = readFileSync(join(root, 'docs', 'serve.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; version: string; license: string; engines: { node: string }; dependencies?: Record<string, string>; files: string[];
};

let work = '', tarball = '', app = '';
let packed: string[] = [];
let install: { status: number | null; stderr: string } = { status: null, stderr: '' };

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' }, timeout: 120_000 });

test.before(() => {
  work = mkdtempSync(join(tmpdir(), 'pluginops-package-'));
  const pack = npm(['pack', '--json', '--pack-destination', work], root);
  assert.is(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(work, info!.filename);
  packed = info!.files.map((f) => f.path);
  app = join(work, 'ops-repo');
  mkdirSync(join(app, 'pipelines'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'ops-repo', version: '1.0.0', private: true }));
  // --offline: a package with no runtime dependencies needs nothing from a registry.
  const r = npm(['install', '--engine-strict', '--offline', tarball], app);
  install = { status: r.status, stderr: r.stderr };
  writeFileSync(join(app, 'pipelines', 'hello.yml'), 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: hello }\nspec:\n  steps:\n    - id: hi\n      run: echo hi\n');
});

test('the package declares no runtime dependency: the CLI and the Action are bundled in dist/', () => {
  assert.equal(pkg.dependencies ?? {}, {});
  assert.is(pkg.license, 'MIT');
  assert.ok(packed.includes('LICENSE'), 'LICENSE is in the tarball');
  for (const f of ['dist/cli.js', 'dist/index.js', 'bin/pluginops.js', 'action.yml', 'README.md', 'package.json']) assert.ok(packed.includes(f), `${f} is in the tarball`);
  assert.ok(packed.some((f) => f.startsWith('schemas/')) && packed.some((f) => f.startsWith('pipelines/')) && packed.some((f) => f.startsWith('rules/')));
  const sources = packed.filter((f) => /\.(ts|mts|cts)$/.test(f) || f.startsWith('src/') || f.endsWith('.map'));
  assert.equal(sources, [], 'no TypeScript sources or source maps are shipped');
});

test('installs from the tarball into an empty folder with --engine-strict, alone', () => {
  assert.is(install.status, 0, install.stderr);
  assert.not.match(install.stderr, /EBADENGINE|notsup|Unsupported engine/);
  const ls = npm(['ls', '--all', '--parseable'], app);
  const installed = ls.stdout.trim().split('\n').filter((l) => l.includes('node_modules'));
  assert.equal(installed.map((l) => l.slice(l.lastIndexOf('node_modules/') + 13)), ['pluginops']);
});

test('npx pluginops --help and validate work in the installed folder', () => {
  const help = spawnSync('npx', ['pluginops', '--help'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  assert.is(help.status, 0, help.stderr);
  assert.match(help.stdout, new RegExp(`^pluginops ${pkg.version.replace(/\./g, '\\.')}`));
  assert.match(help.stdout, /usage: pluginops COMMAND/);
  const validate = spawnSync('npx', ['pluginops', 'validate'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  assert.is(validate.status, 0, validate.stderr);
  assert.match(validate.stdout, /1 document valid/);
});

/** The body of the first fenced block of `lang` on docs/serve.md that contains `needle`. */
function serveBlock(lang: string, needle: string): string {
  const blocks = [...servePage.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes(needle));
  assert.ok(block, `docs/serve.md has a ${lang} block with ${needle}`);
  return block!;
}

/** A line `Key=value` of the systemd unit in docs/serve.md. */
const unitValue = (unit: string, key: string): string => {
  const line = unit.split('\n').find((l) => l.startsWith(`${key}=`));
  assert.ok(line, `the unit sets ${key}`);
  return line!.slice(key.length + 1).trim();
};

/** The recipe's paths and port made local: this folder for /srv/ops-repo, the Node under test, port 0, loopback. */
const localise = (argv: string[]): string[] => argv.map((a) =>
  a.replace('/srv/ops-repo', app).replace(/^\/usr\/bin\/node$|^node$/, process.execPath).replace(/^8080$/, '0').replace(/^0\.0\.0\.0$/, '127.0.0.1'));

interface Server { child: ChildProcess; log(): string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

function start(argv: string[]): Server {
  const [cmd, ...args] = argv;
  // Neither systemd nor Docker's exec form runs a shell: the command is the process.
  const child = spawn(cmd!, args, { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return { child, log: () => out, exited };
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alive = (pid: number): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };

async function reloadThenStop(s: Server, sendHup: (pid: number) => void, sendTerm: (pid: number) => void): Promise<void> {
  const pid = s.child.pid!;
  await until('listening', () => /listening on http:\/\/127\.0\.0\.1:\d+/.test(s.log()));
  sendHup(pid);
  await until('the reload', () => s.log().includes('configuration reloaded (SIGHUP)'));
  assert.ok(alive(pid), 'SIGHUP does not end the server');
  sendTerm(pid);
  const t0 = Date.now();
  const exit = await Promise.race([s.exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no exit after SIGTERM: ${s.log()}`)), 30_000))]);
  assert.equal(exit, { code: 0, signal: null }, s.log());
  assert.ok(Date.now() - t0 < 30_000, 'stops within TimeoutStopSec');
  assert.match(s.log(), /"msg":"stopped"/);
  assert.not.ok(alive(pid), 'nothing is left running');
}

test('the systemd unit: ExecStart runs the server itself; ExecReload (kill -HUP $MAINPID) reloads it; KillSignal stops it', async () => {
  const unit = serveBlock('ini', 'ExecStart=');
  assert.not.match(unit, /npx/, 'the unit does not start through npx');
  const execStart = localise(unitValue(unit, 'ExecStart').split(/\s+/));
  assert.is(unitValue(unit, 'WorkingDirectory'), '/srv/ops-repo');
  const reload = unitValue(unit, 'ExecReload').split(/\s+/);
  const killSignal = unitValue(unit, 'KillSignal') as NodeJS.Signals;
  const s = start(execStart);
  await reloadThenStop(s,
    (pid) => {
      const [cmd, ...args] = reload.map((a) => a.replace('$MAINPID', String(pid)));
      const r = spawnSync(cmd!, args, { encoding: 'utf8' });
      assert.is(r.status, 0, r.stderr);
    },
    (pid) => process.kill(pid, killSignal));
});

test('the container recipe: CMD in exec form is the server (process 1 in the container); HUP reloads, STOPSIGNAL stops', async () => {
  const file = serveBlock('dockerfile', 'CMD');
  assert.match(file, /^FROM node:24/m, 'the container leads with Node 24');
  const cmd = /^CMD (\[.*\])$/m.exec(file);
  assert.ok(cmd, 'CMD is in exec form');
  const argv = JSON.parse(cmd![1]!) as string[];
  assert.is.not(argv[0], 'npx');
  const stopSignal = (/^STOPSIGNAL (\S+)$/m.exec(file)?.[1] ?? 'SIGTERM') as NodeJS.Signals;
  const s = start(localise(argv));
  await reloadThenStop(s, (pid) => process.kill(pid, 'SIGHUP'), (pid) => process.kill(pid, stopSignal));
});

test('the CI matrix and the workflows lead with Node 24 and pin actions that run on node24', () => {
  const ci = readFileSync(join(root, '.github', 'workflows', 'ci.yml'), 'utf8');
  assert.match(ci, /node: \[24, 20\]/);
  for (const f of ['ci.yml', 'example-deploy.yml', 'example-security.yml', 'example-validate.yml']) {
    const text = readFileSync(join(root, '.github', 'workflows', f), 'utf8');
    // actions/checkout and actions/setup-node run on node24 from v5, codeql-action from v4.
    for (const m of text.matchAll(/uses: (actions\/checkout|actions\/setup-node|github\/codeql-action\/[\w-]+)@v(\d+)/g)) {
      const min = m[1]!.startsWith('github/codeql-action') ? 4 : 5;
      assert.ok(Number(m[2]) >= min, `${f}: ${m[0]} runs on an older Node`);
    }
  }
});

test.run();
