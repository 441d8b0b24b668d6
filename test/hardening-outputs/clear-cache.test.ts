// clear_cache deletes only below an allowed root: a path outside `roots`, a symbolic link that
// leads out of one, and a root itself are refused by `check`; `clear` deletes nothing unless
// `path` still resolves to what `check` approved, whatever that step's output says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, root } from '../cli/helpers.ts';
import { events, finished, stepEvent } from '../delivery/helpers.ts';

/** A temp dir with `allowed/cache/old.bin` and `outside/cache/old.bin`. */
function tree() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pluginops-clear-')));
  for (const side of ['allowed', 'outside']) {
    mkdirSync(join(dir, side, 'cache'), { recursive: true });
    writeFileSync(join(dir, side, 'cache', 'old.bin'), 'x');
  }
  return { dir, allowed: join(dir, 'allowed'), outside: join(dir, 'outside') };
}

async function clear(dir: string, params: Record<string, string>) {
  const r = await cli(['run', 'clear_cache', '--json', ...Object.entries(params).flatMap(([k, v]) => ['-p', `${k}=${v}`])], dir);
  const evs = events(r.stdout);
  return { ...r, steps: finished(evs), error: (step: string) => stepEvent(evs, step)?.error ?? '', evs };
}

test('a cache outside the allowed roots is refused; inside one it is cleared', async () => {
  const t = tree();

  const out = await clear(t.dir, { path: join(t.outside, 'cache'), olderThan: '0', roots: t.allowed });
  const ok = await clear(t.dir, { path: join(t.allowed, 'cache'), olderThan: '0', roots: t.allowed });

  assert.is(out.code, 1, out.stdout + out.stderr);
  assert.equal(out.steps, { check: 'failed', clear: 'skipped' });
  assert.match(out.stdout, /not below any of the allowed roots/);
  assert.ok(existsSync(join(t.outside, 'cache', 'old.bin')));
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.not.ok(existsSync(join(t.allowed, 'cache', 'old.bin')));
});

test('a symbolic link inside a root that leads out of it is refused, and so is a root itself', async () => {
  const t = tree();
  symlinkSync(join(t.outside, 'cache'), join(t.allowed, 'escape'));

  const link = await clear(t.dir, { path: join(t.allowed, 'escape'), olderThan: '0', roots: t.allowed });
  const itself = await clear(t.dir, { path: t.allowed, olderThan: '0', roots: t.allowed });

  assert.is(link.code, 1);
  assert.match(link.stdout, new RegExp(`it resolves to ${join(t.outside, 'cache')}, which is not below any of the allowed roots`));
  assert.is(itself.code, 1);
  assert.match(itself.stdout, /not below any of the allowed roots/);
  assert.ok(existsSync(join(t.outside, 'cache', 'old.bin')));
  assert.ok(existsSync(join(t.allowed, 'cache', 'old.bin')));
});

test('`clear` refuses a path that is not what `path` resolves to, even when the check step says so', async () => {
  const t = tree();
  // The plan with a check step that approves another directory than `path`.
  const shipped = readFileSync(join(root, 'pipelines', 'clear_cache.yml'), 'utf8');
  const start = shipped.indexOf('    - id: check');
  const end = shipped.indexOf('    - id: clear');
  const forged = `${shipped.slice(0, start)}    - id: check
      run: pluginops_output path '${join(t.outside, 'cache')}'
${shipped.slice(end)}`;
  mkdirSync(join(t.dir, 'pipelines'));
  writeFileSync(join(t.dir, 'pipelines', 'clear_cache.yml'), forged);

  const r = await clear(t.dir, { path: join(t.allowed, 'cache'), olderThan: '0', roots: t.allowed });

  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.steps, { check: 'success', clear: 'failed' });
  assert.match(r.stdout, /refusing to clear .*outside\/cache.*: it is not the directory/);
  assert.ok(existsSync(join(t.outside, 'cache', 'old.bin')), 'nothing outside was deleted');
  assert.ok(existsSync(join(t.allowed, 'cache', 'old.bin')), 'nothing was deleted at all');
});

test('`roots` must be absolute paths separated by spaces (pattern), checked before any step', async () => {
  const t = tree();

  const r = await clear(t.dir, { path: join(t.allowed, 'cache'), olderThan: '0', roots: 'relative/root' });

  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.steps, {});
  assert.match(r.stderr, /E_PARAMETER: parameter `roots` is "relative\/root", expected text matching/);
});

test.run();
