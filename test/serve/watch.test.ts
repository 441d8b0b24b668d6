// The reload triggers in process: a save by rename fires once (the file event and the poll agree);
// a path whose directory cannot be watched (it does not exist yet) is still seen by the poll; and
// nothing fires while nothing changes.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { watchPaths } from '../../src/serve/watch.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a save by rename fires one reload; nothing changing fires none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-watch-'));
  writeFileSync(join(dir, 'a.yml'), 'one');
  let fired = 0;
  const w = watchPaths(() => { fired++; }, { quietMs: 50, pollMs: 40 });
  try {
    w.watch([dir]);
    await sleep(300);
    assert.is(fired, 0, 'nothing changed');
    writeFileSync(join(dir, 'a.yml.swp'), 'two, longer');
    renameSync(join(dir, 'a.yml.swp'), join(dir, 'a.yml'));
    await sleep(400);
    assert.is(fired, 1);
  } finally { w.close(); rmSync(dir, { recursive: true, force: true }); }
});

test('a file in a directory that appears later: no file event can reach it, the poll sees it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-watch-'));
  const later = join(dir, 'later', 'deeper', 'checks.yml');
  let fired = 0;
  const w = watchPaths(() => { fired++; }, { quietMs: 20, pollMs: 50 });
  try {
    w.watch([later]);
    mkdirSync(join(dir, 'later', 'deeper'), { recursive: true });
    writeFileSync(later, 'apiVersion: pluginops/v1');
    const until = Date.now() + 2_000;
    while (fired === 0 && Date.now() < until) await sleep(20);
    assert.is(fired, 1);
  } finally { w.close(); rmSync(dir, { recursive: true, force: true }); }
});

test.run();
