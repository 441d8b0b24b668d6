// `pluginops incidents list`: from the monitor's saved state after a real outage on the virtual
// clock, filtered by status; and with --from-git, the history read back from the commits of a
// real git journal repository.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../cli/helpers.ts';
import { openJournal } from '../../src/journal/git-journal.ts';
import { journalListener } from '../../src/journal/monitor-hook.ts';
import { gitProcess } from '../../src/journal/process-edge.ts';
import { apiDown, sec, world } from './helpers.ts';

const gitEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_'))), GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } as Record<string, string>;

test('incidents list reads the saved state: an open incident after an outage, filtered by status', async () => {
  const w = await world({ documents: apiDown() });
  try {
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(45 * sec);
    assert.is(w.monitor.incidents().length, 1);
    await w.monitor.stop(0);
    const active = await cli(['incidents', 'list', '--status', 'active'], w.dir);
    assert.is(active.code, 0, active.stderr);
    assert.match(active.stdout, /open\s+critical\s+system\s+API down/);
    const json = await cli(['incidents', 'list', '--json'], w.dir);
    const list = JSON.parse(json.stdout) as Array<{ id: string; status: string }>;
    assert.equal(list.map((i) => i.status), ['open']);
    assert.is(list[0]!.id, w.monitor.incidents()[0]!.id);
    const resolved = await cli(['incidents', 'list', '--status', 'resolved'], w.dir);
    assert.match(resolved.stdout, 'no incidents with status resolved');
    const bad = await cli(['incidents', 'list', '--status', 'gone'], w.dir);
    assert.is(bad.code, 2);
  } finally {
    await w.close();
  }
});

test('incidents list --from-git reads the journal commits back, newest first, by incident', async () => {
  const w = await world({ documents: apiDown() });
  try {
    const repo = join(w.dir, 'journal');
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: gitEnv });
    appendFileSync(join(w.dir, 'pluginops.yml'), '\njournal: { git: { repo: journal } }\n');
    const journal = await openJournal({ repo }, gitProcess(gitEnv));
    const base = Date.parse('2026-03-02T09:00:00Z');
    await journal.record({ incidentId: 'api-down:1', event: 'opened', status: 'open', severity: 'critical', title: 'API down', at: base, text: 'three failed checks' });
    await journal.record({ incidentId: 'api-down:1', event: 'resolved', status: 'resolved', severity: 'critical', title: 'API down', at: base + 60_000, by: 'ci', text: 'restarted' });
    await journal.record({ incidentId: 'disk:2', event: 'opened', status: 'open', severity: 'warning', title: 'Disk filling', at: base + 120_000, text: 'trend' });
    const all = await cli(['incidents', 'list', '--from-git', '--json'], w.dir, { env: gitEnv });
    assert.is(all.code, 0, all.stderr);
    const entries = JSON.parse(all.stdout) as Array<{ incidentId: string; event: string; by?: string }>;
    assert.equal(entries.map((e) => [e.incidentId, e.event]), [['disk:2', 'opened'], ['api-down:1', 'resolved'], ['api-down:1', 'opened']]);
    assert.is(entries[1]!.by, 'ci');
    const one = await cli(['incidents', 'list', '--from-git', '--incident', 'api-down:1'], w.dir, { env: gitEnv });
    assert.is(one.stdout.trim().split('\n').length, 2);
    assert.match(one.stdout, /api-down:1\s+resolved\s+resolved\s+critical\s+by ci/);
  } finally {
    await w.close();
  }
});

test('the monitor writes opened and resolved incidents to the git journal; incidents list --from-git reads them back', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const repo = mkdtempSync(join(tmpdir(), 'pluginops-journal-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: gitEnv });
  const journal = await openJournal({ repo }, gitProcess(gitEnv));
  const errors: string[] = [];
  const w = await world({ documents: apiDown(), monitoring: ['autoResolve: { critical: 1m }'], onTimeline: journalListener(journal, (l) => errors.push(l)) });
  try {
    appendFileSync(join(w.dir, 'pluginops.yml'), `\njournal: { git: { repo: "${repo}" } }\n`);
    w.monitor.start();
    w.service.mode = 'down';
    await w.run(45 * sec);
    w.service.mode = 'up';
    await w.run(2 * 60 * sec);
    assert.is(w.monitor.incidents()[0]!.status, 'resolved');
    const read = async () => JSON.parse((await cli(['incidents', 'list', '--from-git', '--json'], w.dir, { env: gitEnv })).stdout) as Array<{ event: string; incidentId: string; status: string }>;
    let entries = await read();
    for (let i = 0; i < 50 && entries.length < 2; i++) { await new Promise((r) => setTimeout(r, 50)); entries = await read(); }
    assert.equal(entries.map((e) => [e.event, e.status]), [['resolved', 'resolved'], ['opened', 'open']]);
    assert.is(entries[0]!.incidentId, w.monitor.incidents()[0]!.id);
    assert.equal(errors, []);
  } finally {
    await w.close();
  }
});

test('incidents list --from-git without a configured journal is a usage error', async () => {
  const w = await world({ documents: apiDown() });
  try {
    const r = await cli(['incidents', 'list', '--from-git'], w.dir);
    assert.is(r.code, 2);
    assert.match(r.stderr, 'set journal.git.repo in pluginops.yml');
  } finally {
    await w.close();
  }
});

test.run();
