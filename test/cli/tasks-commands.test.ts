// `pluginops workers …` and `pluginops tasks …` as clients of a running serve: the real API
// (createApi) with a real TaskBoard and the serve's task hub on loopback, the commands run through
// the CLI's main entry. Workers are registered and tasks claimed and ended on the board directly,
// as a worker's requests would. Covers the tables and blocks they print, --param and --priority
// reaching the task, list filters, cancel, a retry the server refuses (409, exit 1), an unknown
// worker (404, exit 1) and what the command line itself gets wrong (exit 2, nothing sent).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createApi } from '../../src/api/api.ts';
import { createStreamSlots } from '../../src/api/stream-slots.ts';
import { inThreadChecker } from '../../src/api/workflows/checker.ts';
import { findRunnable } from '../../src/api/workflows/catalog.ts';
import { systemClock } from '../../src/engine/clock.ts';
import { loadProject } from '../../src/project/load.ts';
import type { Remediator } from '../../src/remediation/remediator.ts';
import { RunSupervisor } from '../../src/runs/supervisor.ts';
import { ServeTaskHub } from '../../src/serve/workers.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionStore } from '../../src/store/types.ts';
import { TaskBoard, type BoardJournal } from '../../src/tasks/board.ts';
import type { MonitorView } from '../../src/monitor/runtime/view.ts';
import { registry } from '../../src/wiring/registry.ts';
import { defaultServer, tokens } from '../api/helpers.ts';
import { cli } from './helpers.ts';

const workflow = (id: string, extra: string[]) => [
  'apiVersion: pluginops/v1', 'kind: Workflow', `metadata: { id: ${id} }`, 'spec:', ...extra.map((l) => `  ${l}`),
  '  steps:', '    - id: s', '      run: "true"',
].join('\n') + '\n';

let board: TaskBoard;
let server: Server;
let store: ExecutionStore;
let runs: RunSupervisor;
let url = '';
const cwd = mkdtempSync(join(tmpdir(), 'pluginops-tasks-cli-'));

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-tasks-serve-'));
  mkdirSync(join(dir, 'pipelines'));
  writeFileSync(join(dir, 'pluginops.yml'), ['apiVersion: pluginops/v1', 'kind: Project', 'documents: [pipelines]', ...defaultServer].join('\n') + '\n');
  writeFileSync(join(dir, 'pipelines', 'build.yml'), workflow('build', [
    'runsOn: [linux]', 'parameters:', '  version: { type: string, required: true }', '  channel: { type: string, default: stable }',
  ]));
  writeFileSync(join(dir, 'pipelines', 'report.yml'), workflow('report', []));
  const env = { READ_TOKEN: tokens.read, WRITE_TOKEN: tokens.write, DEPLOY_TOKEN: tokens.deploy, ADMIN_TOKEN: tokens.admin };
  const project = await loadProject(dir);
  store = await openFileStore(join(dir, '.pluginops'));
  const find = (plan: string) => findRunnable(project, plan, registry);
  runs = new RunSupervisor({ store, project: () => project, registry, cwd: dir, env, clock: systemClock, find, log: () => {} });
  const journal: BoardJournal = { putTask: () => {}, putWorker: () => {} };
  board = new TaskBoard({ clock: systemClock, leaseMs: 10 * 60_000 }, journal);
  const hub = new ServeTaskHub({ board, store, find, registry, log: () => {} });
  const api = createApi({
    version: '0.0.0-test', now: Date.now, store, runs, project: () => project, env, cwd: dir,
    monitor: (): MonitorView => { throw new Error('no monitor here'); },
    remediation: (): Remediator => { throw new Error('no remediation here'); },
    tasks: () => hub,
    status: () => ({ scheduler: 'off', configLoadedAt: Date.now(), startedAt: Date.now() }), log: () => {},
    registry, documents: inThreadChecker(registry), streams: createStreamSlots(),
  });
  server = createServer((req, res) => { void api.handle(req, res); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.after(async () => {
  await runs.stop(0);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await store.close();
});

/** The CLI against the serve, with a writing token unless another is given. */
const po = (argv: string[], token: string = tokens.write) => cli(argv, cwd, { env: { PLUGINOPS_URL: url, PLUGINOPS_TOKEN: token } });
const idOf = (stdout: string): string => /\b(tk-[a-z0-9]+)\b/.exec(stdout)?.[1] ?? assert.unreachable(`no task id in: ${stdout}`) as never;

test('workers list: a table of name, state, capabilities, tasks held, done/failed and last seen; --json as the API shows them', async () => {
  const linux = board.register({ name: 'linux-1', capabilities: ['linux', 'docker'], concurrency: 2 });
  board.register({ name: 'mac-1', capabilities: ['macos'] });
  const held = board.submit({ type: 'build', capabilities: ['linux'], work: { kind: 'workflow', workflow: 'build' } });
  assert.is(board.claim(linux.id)?.id, held.id);

  const r = await po(['workers', 'list']);
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME\s+STATE\s+CAPABILITIES\s+TASKS\s+DONE\/FAILED\s+LAST SEEN$/);
  assert.match(r.stdout, /linux-1\s+busy\s+docker,linux\s+1\/2\s+0\/0\s+\d+s ago/);
  assert.match(r.stdout, /mac-1\s+idle\s+macos\s+0\/1\s+0\/0\s+\d+s ago/);

  const j = await po(['workers', 'list', '--json']);
  assert.is(j.code, 0, j.stderr);
  const ws = JSON.parse(j.stdout) as Array<{ name: string; state: string; tasks: string[] }>;
  assert.equal(ws.find((w) => w.name === 'linux-1')?.tasks, [held.id]);
});

test('workers show: by name or id, with the tasks it holds; an unknown worker exits 1 and says so', async () => {
  const linux = board.findWorker('linux-1')!;
  const byName = await po(['workers', 'show', 'linux-1']);
  assert.is(byName.code, 0, byName.stderr);
  assert.match(byName.stdout, /^worker linux-1\n/);
  assert.match(byName.stdout, new RegExp(`id\\s+${linux.id}`));
  assert.match(byName.stdout, /state\s+busy/);
  assert.match(byName.stdout, /capabilities docker, linux/);
  assert.match(byName.stdout, new RegExp(`holds 1 task\\n  ${linux.tasks[0]}\\s+claimed\\s+normal\\s+build attempt 1/3, changed \\d+s ago\\n`));

  const byId = await po(['workers', 'show', linux.id, '--json']);
  assert.is(byId.code, 0, byId.stderr);
  const shown = JSON.parse(byId.stdout) as { name: string; recentTasks: Array<{ id: string }> };
  assert.is(shown.name, 'linux-1');
  assert.equal(shown.recentTasks.map((t) => t.id), linux.tasks);

  // A name that cannot be a path segment is found through the list.
  board.register({ name: 'ci@host', capabilities: [] });
  const at = await po(['workers', 'show', 'ci@host']);
  assert.is(at.code, 0, at.stderr);
  assert.match(at.stdout, /^worker ci@host\n/);

  for (const name of ['nope', 'no@where']) {
    const missing = await po(['workers', 'show', name]);
    assert.is(missing.code, 1, missing.stdout);
    assert.match(missing.stderr, new RegExp(`^error: there is no worker ${name}\\n$`));
    assert.not.match(missing.stderr, /\n\s+at /, 'no stack trace');
  }
  const none = await po(['workers', 'show']);
  assert.is(none.code, 2);
  assert.match(none.stderr, /expected one worker id or name\nusage: pluginops workers show/);
});

test('workers drain: the worker takes no new tasks and the command says what it did; an unknown one exits 1', async () => {
  const r = await po(['workers', 'drain', 'mac-1']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'worker mac-1 takes no new tasks; it holds no task\n');
  assert.is(board.findWorker('mac-1')?.state, 'draining');
  const again = await po(['workers', 'drain', board.findWorker('mac-1')!.id]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /\(it was draining already\)/);

  const busy = await po(['workers', 'drain', 'linux-1']);
  assert.is(busy.code, 0, busy.stderr);
  assert.match(busy.stdout, new RegExp(`^worker linux-1 takes no new tasks; it still holds ${board.findWorker('linux-1')!.tasks[0]}, which run to their end\\n$`));
  // Undrained again for the tests below: a worker that stopped and registers again takes tasks
  // (an online one cannot register again; the tasks it held go back to the queue and are taken again).
  const linux = board.findWorker('linux-1')!;
  const held = linux.tasks.length;
  board.deregister(linux.id);
  board.register({ id: linux.id, name: 'linux-1', capabilities: linux.capabilities, concurrency: 2 });
  for (let i = 0; i < held; i++) board.claim(linux.id);

  const missing = await po(['workers', 'drain', 'ghost']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /there is no worker ghost/);
  const list = await po(['workers', 'list']);
  assert.match(list.stdout, /mac-1\s+draining/);
});

test('tasks submit: --param and --data reach the task, --priority and --capability too; it prints the id and state', async () => {
  const r = await po(['tasks', 'submit', 'build', '--param', 'version=1.2.3', '--data', '{"channel":"beta","version":"0"}', '--priority', 'high', '--max-attempts', '5']);
  assert.is(r.code, 0, r.stderr);
  const id = idOf(r.stdout);
  assert.is(r.stdout, `task ${id} is pending (high, needs linux)\n`);
  const t = board.get(id)!;
  assert.equal(t.data, { channel: 'beta', version: '1.2.3' }, '--param on top of --data, as `pluginops run` takes them');
  assert.is(t.priority, 'high');
  assert.is(t.maxAttempts, 5);
  assert.equal(t.capabilities, ['linux'], 'the workflow\'s runsOn without --capability');
  assert.equal(t.work, { kind: 'workflow', workflow: 'build' });

  const gpu = await po(['tasks', 'submit', 'nightly-build', '--workflow', 'build', '-p', 'version=2', '--capability', 'gpu', '--capability', 'linux', '--plugin', 'plugins/x', '--deadline', '2099-01-01T00:00:00Z']);
  assert.is(gpu.code, 0, gpu.stderr);
  const gid = idOf(gpu.stdout);
  assert.is(gpu.stdout, `task ${gid} is pending (normal, needs gpu, linux)\n  waits: no online worker has gpu, linux\n`);
  const g = board.get(gid)!;
  assert.is(g.type, 'nightly-build');
  assert.equal(g.work, { kind: 'workflow', workflow: 'build', plugin: 'plugins/x' });
  assert.is(g.deadline, '2099-01-01T00:00:00.000Z');

  const json = await po(['tasks', 'submit', 'report', '--priority', 'low', '--json']);
  assert.is(json.code, 0, json.stderr);
  const shown = JSON.parse(json.stdout) as { id: string; state: string; priority: string; claim?: string };
  assert.is(shown.state, 'pending');
  assert.is(shown.priority, 'low');
  assert.is(shown.claim, undefined);

  // What the server refuses: a parameter the workflow does not declare, an unknown workflow.
  const bad = await po(['tasks', 'submit', 'build', '--param', 'colour=red']);
  assert.is(bad.code, 1, bad.stdout);
  assert.match(bad.stderr, /unknown parameter `colour`/);
  const unknown = await po(['tasks', 'submit', 'nowhere']);
  assert.is(unknown.code, 1, unknown.stdout);
  assert.match(unknown.stderr, /no workflow or action plan `nowhere`/);
});

test('tasks submit: what the command line gets wrong exits 2 before anything is sent', async () => {
  const before = board.list().length;
  const cases: Array<[string[], RegExp]> = [
    [['tasks', 'submit', 'build', '--priority', 'urgent'], /--priority expects one of low, normal, high, critical, found "urgent"/],
    [['tasks', 'submit', 'build', '--param', 'version'], /--param expects key=value, found "version"/],
    [['tasks', 'submit', 'build', '--data', '[1]'], /--data must be a JSON object/],
    [['tasks', 'submit', 'build', '--data', '{nope'], /--data is not JSON/],
    [['tasks', 'submit', 'build', '--max-attempts', '0'], /--max-attempts expects a positive whole number/],
    [['tasks', 'submit', 'build', '--max-attempts', '101'], /--max-attempts is at most 100/],
    [['tasks', 'submit', 'build', '--deadline', 'tomorrow'], /--deadline expects an ISO time/],
    [['tasks', 'submit'], /expected one task type[^\n]*\nusage: pluginops tasks submit TYPE/],
    [['tasks', 'submit', 'a', 'b'], /expected one task type/],
    [['tasks', 'submit', 'build', '--colour', 'red'], /Unknown option '--colour'[^]*usage: pluginops tasks submit/],
    [['tasks', 'list', '--state', 'stuck'], /--state expects one of pending, claimed, running, succeeded, failed, dead-lettered, cancelled, active, ended/],
    [['tasks', 'list', '--priority', 'asap'], /--priority expects one of/],
    [['tasks', 'list', '--limit', '5000'], /--limit is at most 1000/],
    [['tasks', 'show'], /expected one task id/],
    [['tasks', 'cancel', 'a', 'b'], /expected one task id/],
  ];
  for (const [argv, message] of cases) {
    const r = await po(argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, argv.join(' '));
    assert.match(r.stderr, /^error: /);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.is(board.list().length, before, 'nothing was submitted');
});

test('tasks list: newest first, filtered by state, type, priority and worker (by name); --limit says how many more', async () => {
  const all = await po(['tasks', 'list']);
  assert.is(all.code, 0, all.stderr);
  assert.match(all.stdout, /^ID\s+STATE\s+PRIORITY\s+TYPE\s+ATTEMPTS\s+WORKER\s+CREATED\n/);
  const ids = [...all.stdout.matchAll(/^(tk-\S+)/gm)].map((m) => m[1]);
  assert.equal(ids, board.list().map((t) => t.id));
  assert.match(all.stdout, /nightly-build\s+0\/3\s+-\s+\d+s ago \(unroutable\)/);

  const high = await po(['tasks', 'list', '--priority', 'high', '--json']);
  assert.equal((JSON.parse(high.stdout) as Array<{ priority: string }>).map((t) => t.priority), ['high']);
  const types = await po(['tasks', 'list', '--type', 'report', '--json']);
  assert.equal((JSON.parse(types.stdout) as Array<{ type: string }>).map((t) => t.type), ['report']);
  const claimed = await po(['tasks', 'list', '--state', 'claimed']);
  assert.is(claimed.code, 0, claimed.stderr);
  assert.match(claimed.stdout, /claimed\s+normal\s+build\s+1\/3\s+linux-1/);
  assert.is([...claimed.stdout.matchAll(/^tk-/gm)].length, 1);
  const byWorker = await po(['tasks', 'list', '--worker', 'linux-1', '--json']);
  assert.equal((JSON.parse(byWorker.stdout) as Array<{ id: string }>).map((t) => t.id), board.findWorker('linux-1')!.tasks);
  const active = await po(['tasks', 'list', '--state', 'active', '--json']);
  assert.is((JSON.parse(active.stdout) as unknown[]).length, board.list().length, 'nothing ended yet');
  const none = await po(['tasks', 'list', '--state', 'succeeded']);
  assert.is(none.stdout, 'no tasks\n');
  const one = await po(['tasks', 'list', '--limit', '1']);
  assert.match(one.stdout, new RegExp(`\\n1 of ${board.list().length} tasks; --limit shows more\\n$`));
});

test('tasks show: the task with its history, and an unroutable task says plainly why it waits', async () => {
  const [gpu] = board.list({ type: 'nightly-build' });
  const r = await po(['tasks', 'show', gpu!.id]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^task ${gpu!.id}\\n  type         nightly-build\\n  runs         build \\(plugin plugins/x\\)\\n  state        pending\\n  waits: no online worker has gpu, linux\\n`));
  assert.match(r.stdout, /data         \{"version":"2"\}/);
  assert.match(r.stdout, /created      \S+ by ops-writer/);
  assert.match(r.stdout, /\nhistory\n  \S+Z  pending\s+submitted by ops-writer\n$/);

  const [held] = board.list({ state: 'claimed' });
  const h = await po(['tasks', 'show', held!.id]);
  assert.match(h.stdout, /worker       linux-1 \(wk-/);
  assert.match(h.stdout, /history\n  \S+  pending\s*\n  \S+  claimed\s+attempt 1 of 3 claimed by linux-1\n(  .*\n)*  \S+  claimed\s+attempt 1 of 3 claimed by linux-1\n$/);
  assert.not.match(h.stdout, /waits:/);
  const j = await po(['tasks', 'show', held!.id, '--json']);
  assert.is((JSON.parse(j.stdout) as { claim?: string }).claim, undefined, 'the claim is the worker\'s alone');

  const missing = await po(['tasks', 'show', 'tk-nope']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^error: there is no task tk-nope\n$/);
});

test('tasks cancel, then retry: a pending task is cancelled at once; retrying a task that has not ended is refused (409, exit 1)', async () => {
  const [report] = board.list({ type: 'report' });
  const pending = await po(['tasks', 'retry', report!.id]);
  assert.is(pending.code, 1, pending.stdout);
  assert.match(pending.stderr, new RegExp(`^error: task ${report!.id} is pending; only failed, dead-lettered or cancelled tasks are retried\\n$`));
  assert.is(board.get(report!.id)!.state, 'pending');

  const c = await po(['tasks', 'cancel', report!.id]);
  assert.is(c.code, 0, c.stderr);
  assert.is(c.stdout, `task ${report!.id} cancelled\n`);
  assert.is(board.get(report!.id)!.state, 'cancelled');
  const twice = await po(['tasks', 'cancel', report!.id]);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, /is cancelled already/);

  const [held] = board.list({ state: 'claimed' });
  const running = await po(['tasks', 'cancel', held!.id]);
  assert.is(running.code, 0, running.stderr);
  assert.is(running.stdout, `task ${held!.id}: its worker is asked to stop\n`);
  assert.is(board.get(held!.id)!.cancelRequested, true);

  const r = await po(['tasks', 'retry', report!.id]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, `task ${report!.id} is pending again (low)\n`);
  assert.is(board.get(report!.id)!.state, 'pending');
  const shown = await po(['tasks', 'show', report!.id]);
  assert.match(shown.stdout, /cancelled\s+cancelled by ops-writer\n  \S+  pending\s+retried by ops-writer\n$/);
});

test('a token without the write scope is refused (exit 4); every command has help', async () => {
  const r = await po(['tasks', 'submit', 'report'], tokens.read);
  assert.is(r.code, 4, r.stderr);
  const list = await po(['tasks', 'list'], tokens.read);
  assert.is(list.code, 0, list.stderr);
  for (const c of ['workers list', 'workers show', 'workers drain', 'tasks submit', 'tasks list', 'tasks show', 'tasks cancel', 'tasks retry']) {
    const h = await po([...c.split(' '), '--help']);
    assert.is(h.code, 0);
    assert.match(h.stdout, new RegExp(`usage: pluginops ${c}`));
  }
  const top = await po(['--help']);
  assert.match(top.stdout, /workers list/);
  assert.match(top.stdout, /tasks submit/);
});

test.run();
