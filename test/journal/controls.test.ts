// Run-time control changes in the git journal: one commit each under `controls/`, the change line
// appended to changes.md and the controls in force in current.json, the reason as the body and
// the trailers readable with `git log`; incident reading is not disturbed, and a `controls` that
// is a symbolic link is refused.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openJournal, readJournal } from '../../src/journal/git-journal.ts';
import { pause, setSelfHealing } from '../../src/monitor/controls/apply.ts';
import { emptyControls } from '../../src/monitor/controls/model.ts';
import { edges, emptyRepo, git, tempDir } from './repo.ts';

const at = Date.parse('2026-03-02T09:00:00Z');

test('each change is one commit with its reason and trailers; changes.md grows, current.json holds what is in force', async () => {
  const dir = emptyRepo();
  const journal = await openJournal({ repo: dir }, edges);
  const a = pause(emptyControls(), { check: 'api' }, at + 3_600_000, { by: 'oncall', at, reason: 'deploying\nthe api' });
  const b = setSelfHealing(a.state, false, undefined, { by: 'dana', at: at + 1000, reason: 'restart loop' });
  const r1 = await journal.recordControl(a);
  await journal.recordControl(b);
  assert.equal(r1.paths, ['controls/changes.md', 'controls/current.json']);
  assert.equal(git(dir, 'log', '--format=%s').trim().split('\n'), ['controls: self-healing-off self-healing by dana', 'controls: pause check:api by oncall']);
  const body = git(dir, 'log', '-1', '--skip=1', '--format=%B');
  assert.match(body, /deploying\nthe api/);
  assert.match(body, /Control-Action: pause\nControl-Target: check:api\nControl-By: oncall\nControl-At: 2026-03-02T09:00:00.000Z\nControl-Until: 2026-03-02T10:00:00.000Z/);
  const lines = readFileSync(join(dir, 'controls', 'changes.md'), 'utf8').trim().split('\n').filter((l) => l.startsWith('- '));
  assert.equal(lines, [
    '- 2026-03-02T09:00:00.000Z pause check:api until 2026-03-02T10:00:00.000Z by oncall: deploying the api',
    '- 2026-03-02T09:00:01.000Z self-healing-off self-healing by dana: restart loop',
  ]);
  const current = JSON.parse(readFileSync(join(dir, 'controls', 'current.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(Object.keys(current).sort(), ['maintenance', 'pauses', 'selfHealingOff', 'seq', 'version']);
  assert.is(git(dir, 'status', '--porcelain').trim(), '', 'everything written is committed');
  assert.equal(await readJournal(dir, edges), [], 'control commits are not incident entries');
});

test('a controls path that is a symbolic link is refused', async () => {
  const dir = emptyRepo();
  const elsewhere = tempDir('elsewhere');
  mkdirSync(join(elsewhere, 'x'));
  symlinkSync(join(elsewhere, 'x'), join(dir, 'controls'));
  const journal = await openJournal({ repo: dir }, edges);
  const e = await journal.recordControl(pause(emptyControls(), { all: true }, undefined, { by: 'oncall', at, reason: 'x' })).then(() => undefined, (x: unknown) => x);
  assert.match(String((e as Error).message), /controls is a symbolic link/);
});

test.run();
