// The git triggers of pipelines/self-healing.yml through a real `pluginops serve --cron`:
// - 30 uncommitted files (plus a .env, a file holding a key, a 5 MiB file and files whose names a
//   shell would run or take as options) → the check fails →
//   the alert fires → the shipped git_autosave runs → a new branch holds the safe files only, and
//   main, the index and the working tree are untouched (asserted with git);
// - a file over the 500-line rule → the webhook receives the ask-a-person notification, and no
//   execution is ever started.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReceiver } from '../notify/helpers.ts';
import { eventually } from '../serve/helpers.ts';
import { launch, stop } from '../serve/process.ts';
import { api, autosaveBranches, git, hostileNames, messyTree, repoWithCommit, serveEnv, shipped, tempDir, treeOf, writeProject } from './helpers.ts';

test('too many uncommitted changes: the safe files are saved on a new branch, nothing else moves', async () => {
  const dir = tempDir('e2e-git');
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  repoWithCommit(repo);
  const { safe } = messyTree(repo, 30);
  for (const name of hostileNames) writeFileSync(join(repo, name), `name: ${name}\n`);
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  const statusBefore = git(repo, 'status', '--porcelain', '-z');
  const receiver = await startReceiver({ now: Date.now });
  writeProject(dir, shipped({
    'git-changes': (s) => { Object.assign(s, { interval: '300ms', stagger: '0s', workingDirectory: 'repo', conditions: ['exitCode == 0', 'output <= 20'] }); },
    'git-changes-too-many': (s) => { s.remediate.with.repo = 'repo'; s.remediate.verify = { attempts: 1, interval: '100ms' }; },
  }), `${receiver.url}/hook`);
  const serve = launch(dir, serveEnv(), ['--cron', '--port', '0']);
  try {
    const url = await serve.listening;
    const record = await eventually(async () => {
      const list = (await api(url, '/api/remediations')).data as Array<{ plan: string; outcome?: string; runId?: string; incident: string }>;
      return list.find((r) => r.plan === 'git_autosave' && r.outcome !== undefined);
    }, { what: 'the autosave remediation to end', timeoutMs: 20_000 });

    const [branch, ...more] = autosaveBranches(repo);
    assert.ok(branch, 'a pluginops/autosave-* branch exists');
    assert.equal(more, [], 'exactly one');
    assert.equal(treeOf(repo, branch!), ['README.md', ...safe, ...hostileNames].sort(), 'the commit holds the safe files, odd names included (and what HEAD had)');
    for (const p of ['pwned', 'pwned2', 'x']) assert.not.ok(existsSync(join(repo, p)) || existsSync(join(dir, p)), `${p} exists: a file name was executed`);
    assert.is(git(repo, 'rev-parse', `${branch}^`).trim(), head);
    assert.is(git(repo, 'symbolic-ref', 'HEAD').trim(), 'refs/heads/main');
    assert.is(git(repo, 'rev-parse', 'main').trim(), head, 'main did not move');
    assert.is(git(repo, 'status', '--porcelain', '-z'), statusBefore, 'nothing in the work tree or the index changed');

    const run = (await api(url, `/api/runs/${record.runId}`)).data;
    assert.is(run.status, 'success');
    assert.is(run.requestedBy, 'remediation');
    assert.is(run.steps.commit.outputs.autosaveBranch, branch);
    assert.is(run.steps.commit.outputs.saved, String(30 + hostileNames.length));
    const check = (await api(url, '/api/checks/git-changes')).data;
    assert.is(check.history.at(-1).fields.output, String(33 + hostileNames.length), 'one change per file, a name with a newline included');
    // The work tree still holds the changes (they are saved, not removed), so the check still fails:
    // the incident stays open for a person, with the branch on its timeline.
    assert.is(record.outcome, 'not-fixed');
    const incident = (await api(url, `/api/incidents/${encodeURIComponent(record.incident)}`)).data;
    assert.not.equal(incident.status, 'resolved');
    assert.match(incident.title, /pluginops\/autosave-\* branch/);
    const kinds = incident.timeline.map((e: { kind: string }) => e.kind);
    for (const k of ['opened', 'remediation', 'verification']) assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
    await eventually(() => receiver.requests.some((r) => r.path === '/hook'), { what: 'the incident notification' });
    assert.is((await stop({ ...serve, url, lines: serve.lines }, 'SIGTERM')).code, 0);
  } finally {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await receiver.close();
  }
});

test('a file over the 500-line rule: a person is asked through the webhook, and nothing runs', async () => {
  const dir = tempDir('e2e-size');
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  repoWithCommit(repo);
  writeFileSync(join(repo, 'src', 'small.py'), 'x = 1\n'.repeat(100));
  writeFileSync(join(repo, 'src', 'huge module.py'), 'x = 1\n'.repeat(600));
  const receiver = await startReceiver({ now: Date.now });
  writeProject(dir, shipped({
    'file-size': (s) => { Object.assign(s, { interval: '300ms', stagger: '0s', workingDirectory: 'repo' }); },
    'file-size-violation': () => undefined,
  }), `${receiver.url}/hook`);
  const serve = launch(dir, serveEnv(), ['--cron', '--port', '0']);
  try {
    const url = await serve.listening;
    const hook = await eventually(() => receiver.requests.find((r) => r.path === '/hook'), { what: 'the webhook to be called' });
    const payload = JSON.parse(hook.body);
    assert.is(payload.status, 'firing');
    assert.is(payload.alerts[0].labels.alertname, 'file-size-violation');
    assert.is(payload.alerts[0].labels.severity, 'warning');
    const summary = payload.alerts[0].annotations.summary as string;
    assert.match(summary, /Action needed by a person/);
    assert.match(summary, /Nothing was changed automatically/);
    assert.match(summary, /pluginops check run file-size/);

    const check = (await api(url, '/api/checks/file-size')).data;
    assert.is(check.healthy, false);
    // Evaluations go on; still nothing may have started.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await api(url, '/api/remediations')).data, []);
    assert.equal((await api(url, '/api/executions')).data, []);
    const [incident] = (await api(url, '/api/incidents')).data as Array<{ id: string }>;
    const detail = (await api(url, `/api/incidents/${encodeURIComponent(incident!.id)}`)).data;
    assert.not.ok(detail.timeline.some((e: { kind: string }) => e.kind === 'remediation'), 'no remediation on the timeline');
    assert.is(git(repo, 'status', '--porcelain', '-uall'), '?? "src/huge module.py"\n?? src/small.py\n', 'the files are left as they were');
    assert.is((await stop({ ...serve, url, lines: serve.lines }, 'SIGTERM')).code, 0);
  } finally {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await receiver.close();
  }
});

test.run();
