// Ids that become paths, from the CLI and the release store: a plugin id that climbs out of the
// deploy target, an execution id with `..`, a release or plugin folder that is a symlink leading
// out. Each is refused with a coded error, and nothing outside the target changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArchive } from '../../src/plugins/archive/index.ts';
import { deployToDirectory, rollbackDirectory } from '../../src/plugins/releases/directory.ts';
import { PathError, checkPathId, insideRoot } from '../../src/store/paths.ts';
import { cli, root } from '../cli/helpers.ts';
import { plantedOutside, stateOf } from './helpers.ts';

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e));

test('insideRoot refuses every way out of its root; checkPathId refuses separators and dots', () => {
  const base = '/srv/target';
  assert.is(insideRoot(base, 'p', 'releases'), '/srv/target/p/releases');
  for (const parts of [['..'], ['../x'], ['p', '../../x'], ['/etc'], ['.'], ['']]) {
    assert.throws(() => insideRoot(base, ...parts), (e: unknown) => e instanceof PathError && e.code === 'E_PATH_ESCAPE', JSON.stringify(parts));
  }
  for (const id of ['../x', 'a/b', '..', '.hidden', 'a\\b', '', 'A'.repeat(65)]) {
    assert.throws(() => checkPathId('plugin', id), (e: unknown) => e instanceof PathError && e.code === 'E_BAD_ID' && e.kind === 'malformed', id);
  }
  assert.is(checkPathId('plugin', 'payments.v2'), 'payments.v2');
});

test('`pluginops run rollback_plugin -p plugin=../../outside/fake` is refused at its parameter (E_PARAMETER) and changes nothing outside the target', async () => {
  const { project, outside } = await plantedOutside();
  const before = stateOf(join(outside, 'fake'));
  const r = await cli(['run', 'rollback_plugin', '-p', 'plugin=../../outside/fake'], project);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /E_PARAMETER: parameter `plugin`/);
  assert.equal(stateOf(join(outside, 'fake')), before);
  assert.not.ok(existsSync(join(project, '.pluginops', 'deployments')), 'nothing was made in the target either');
});

test('a plan whose parameter has no format still cannot climb out: the plugin/rollback step refuses the id (E_BAD_ID)', async () => {
  const { project, outside } = await plantedOutside();
  const before = stateOf(join(outside, 'fake'));
  mkdirSync(join(project, 'pipelines'), { recursive: true });
  writeFileSync(join(project, 'pipelines', 'unchecked.yml'), [
    'apiVersion: pluginops/v1', 'kind: ActionPlan', 'metadata: { id: unchecked_rollback, name: Unchecked rollback }', 'spec:',
    '  category: deploy', '  parameters:', '    plugin: { type: string, required: true }', '  steps:',
    '    - id: rollback', '      uses: plugin/rollback', '      with: { plugin: "${{ params.plugin }}" }', '',
  ].join('\n'));
  const r = await cli(['run', 'unchecked_rollback', '-p', 'plugin=../../outside/fake'], project);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /E_BAD_ID/);
  assert.equal(stateOf(join(outside, 'fake')), before);
  assert.not.ok(existsSync(join(project, '.pluginops', 'deployments')), 'nothing was made in the target either');
});

test('`pluginops rollback ../../outside/fake` is refused at the argument with E_BAD_ID', async () => {
  const { project, outside } = await plantedOutside();
  const before = stateOf(join(outside, 'fake'));
  const r = await cli(['rollback', '../../outside/fake'], project);
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /^error: E_BAD_ID: "\.\.\/\.\.\/outside\/fake" is neither a plugin directory nor a plugin id/);
  assert.equal(stateOf(join(outside, 'fake')), before);
});

test('`pluginops executions show ../x` and `logs ../x` are refused with E_BAD_ID; the file beside the store is not read', async () => {
  const project = mkdtempSync(join(tmpdir(), 'pluginops-hardening-'));
  mkdirSync(join(project, '.pluginops'), { recursive: true });
  writeFileSync(join(project, '.pluginops', 'x.jsonl'), '{"planted":"SECRET-PLANTED"}\n');
  for (const sub of ['show', 'logs']) {
    const r = await cli(['executions', sub, '../x'], project);
    assert.is(r.code, 1);
    assert.match(r.stderr, /^error: E_BAD_ID: invalid execution id "\.\.\/x"/);
    assert.not.match(r.stdout + r.stderr, /SECRET-PLANTED/);
  }
});

/** A target with two real releases of `p` (1.0.0 live), and an archive to deploy more. */
async function target() {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-hardening-target-'));
  const built = await buildArchive({ root: join(root, 'examples', 'plugins', 'hello'), outDir: join(dir, '..', `${dir.split('/').pop()}-build`), name: 'p' });
  const deploy = (version: string, at: string, plugin = 'p', targetPath = dir) =>
    deployToDirectory({ targetPath, plugin, version, archive: built.archive, sha256: built.sha256, keep: 5, by: 'test', now: new Date(at), log: () => undefined });
  await deploy('0.9.0', '2026-01-01T00:00:00Z');
  await deploy('1.0.0', '2026-01-02T00:00:00Z');
  return { dir, deploy, rollback: (to?: string, plugin = 'p') => rollbackDirectory({ targetPath: dir, plugin, ...(to ? { to } : {}), by: 'test', now: new Date('2026-01-03T00:00:00Z'), log: () => undefined }) };
}

test('a release that is a symlink leading out of the target is refused (E_PATH_ESCAPE); `current` keeps pointing inside', async () => {
  const t = await target();
  const home = join(t.dir, 'p');
  // A complete, verifiable copy of the old release, moved outside and linked back in its place.
  const outside = mkdtempSync(join(tmpdir(), 'pluginops-hardening-outside-'));
  const oldRelease = (JSON.parse(readFileSync(join(home, 'ledger.jsonl'), 'utf8').split('\n')[0]!) as { release: string }).release;
  cpSync(join(home, 'releases', oldRelease), join(outside, 'copy'), { recursive: true });
  renameSync(join(home, 'releases', oldRelease), join(outside, 'moved'));
  symlinkSync(join(outside, 'copy'), join(home, 'releases', oldRelease));
  const before = stateOf(home);
  assert.is(await codeOf(t.rollback('0.9.0')), 'E_PATH_ESCAPE');
  assert.is(await codeOf(t.rollback()), 'E_PATH_ESCAPE');
  assert.equal(stateOf(home), before);
  assert.match(before.current, /^releases\/1\.0\.0-/);
});

test('a plugin folder or a ledger that is a symlink leading out is refused on deploy and rollback', async () => {
  const t = await target();
  const outside = mkdtempSync(join(tmpdir(), 'pluginops-hardening-outside-'));
  // The plugin folder `q` is a symlink to a folder outside holding a real release history.
  cpSync(join(t.dir, 'p'), join(outside, 'q'), { recursive: true, verbatimSymlinks: true });
  symlinkSync(join(outside, 'q'), join(t.dir, 'q'));
  const beforeQ = stateOf(join(outside, 'q'));
  assert.is(await codeOf(t.rollback(undefined, 'q')), 'E_PATH_ESCAPE');
  assert.is(await codeOf(t.deploy('2.0.0', '2026-02-01T00:00:00Z', 'q')), 'E_PATH_ESCAPE');
  assert.equal(stateOf(join(outside, 'q')), beforeQ);
  // The ledger of `p` is a symlink to a file outside: nothing is appended to it.
  writeFileSync(join(outside, 'ledger'), 'untouched\n');
  renameSync(join(t.dir, 'p', 'ledger.jsonl'), join(t.dir, 'p-ledger.bak'));
  symlinkSync(join(outside, 'ledger'), join(t.dir, 'p', 'ledger.jsonl'));
  assert.is(await codeOf(t.rollback()), 'E_PATH_ESCAPE');
  assert.is(readFileSync(join(outside, 'ledger'), 'utf8'), 'untouched\n');
});

test('deploy and rollback refuse a plugin id or a version that is not one plain name (E_BAD_ID), creating nothing', async () => {
  const t = await target();
  const parent = join(t.dir, '..');
  assert.is(await codeOf(t.deploy('1.1.0', '2026-02-01T00:00:00Z', '../escaped')), 'E_BAD_ID');
  assert.is(await codeOf(t.deploy('../../1.1.0', '2026-02-01T00:00:00Z')), 'E_BAD_ID');
  assert.is(await codeOf(t.rollback(undefined, '../escaped')), 'E_BAD_ID');
  assert.not.ok(existsSync(join(parent, 'escaped')));
});

test.run();
