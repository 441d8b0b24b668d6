import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli } from '../cli/helpers.ts';
import { change, manifest, repo, threePlugins } from './repo.ts';

test('plan --changed --format matrix prints exactly one line: the GitHub matrix include list', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/gamma/index.js': '//\n', 'plugins/beta/plugin.json': manifest('beta', '2.2.0') });

  const r = await cli(['plan', '--changed', '--base', 'main', '--format', 'matrix'], dir);

  assert.is(r.stderr, '');
  assert.is(r.code, 0);
  assert.is(r.stdout, '{"include":[{"plugin":"plugins/beta","id":"beta","name":"Plugin beta","version":"2.2.0"},{"plugin":"plugins/gamma","id":"gamma","name":"Plugin gamma","version":"0.3.0"}]}\n');
});

test('nothing changed in a plugin: an empty include list', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'README.md': 'docs only\n' });

  const r = await cli(['plan', '--changed', '--base', 'main', '--head', 'HEAD', '--format', 'matrix'], dir);

  assert.equal([r.code, r.stdout], [0, '{"include":[]}\n']);
});

test('a change to a pipelines document lists every plugin', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'pipelines/deliver.yml': `${threePlugins['pipelines/deliver.yml']}# edited\n` });

  const r = await cli(['plan', '--changed', '--base=main', '--format=matrix'], dir);

  assert.equal((JSON.parse(r.stdout) as { include: Array<{ plugin: string }> }).include.map((i) => i.plugin), ['plugins/alpha', 'plugins/beta', 'plugins/gamma']);
});

test('--format text: one plugin a line with why', async () => {
  const dir = repo(threePlugins);
  change(dir, { 'plugins/alpha/backend/plugin.py': '#\n' });

  const r = await cli(['plan', '--changed', '--base', 'main'], dir);

  assert.is(r.code, 0);
  assert.is(r.stdout, 'plugins/alpha  alpha@1.0.0  1 file changed: plugins/alpha/backend/plugin.py\n');
});

test('a project file in a subdirectory: its plugins: setting and documents, paths relative to the repository', async () => {
  const dir = repo({
    'ops/pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nplugins: [plugins/python, plugins/node]\ndocuments: [flows]\n',
    'ops/plugins/python/a/plugin.json': manifest('a'),
    'ops/plugins/node/b/plugin.json': manifest('b'),
    'ops/elsewhere/c/plugin.json': manifest('c'),
    'ops/flows/deliver.yml': 'x: 1\n',
  });
  change(dir, { 'ops/plugins/node/b/index.js': '', 'ops/elsewhere/c/x.py': '' });

  const one = await cli(['plan', '--changed', '--base', 'main', '--format', 'matrix'], join(dir, 'ops'));
  change(dir, { 'ops/flows/deliver.yml': 'x: 2\n' });
  const all = await cli(['plan', '--changed', '--base', 'main', '--format', 'matrix'], join(dir, 'ops'));

  assert.is(one.stdout, '{"include":[{"plugin":"ops/plugins/node/b","id":"b","name":"Plugin b","version":"1.0.0"}]}\n');
  assert.equal((JSON.parse(all.stdout) as { include: Array<{ plugin: string }> }).include.map((i) => i.plugin), ['ops/plugins/node/b', 'ops/plugins/python/a']);
});

const usageCases: Array<[string, string[], string]> = [
  ['--changed without --base', ['plan', '--changed', '--format', 'matrix'], '--changed needs --base REF'],
  ['--format matrix without --changed', ['plan', 'deliver', '--format', 'matrix'], '--format matrix lists changed plugins'],
  ['--base without --changed', ['plan', 'deliver', '--base', 'main'], '--base goes with --changed'],
  ['a base ref that starts with "-"', ['plan', '--changed', '--base=--output=/tmp/x'], '--base "--output=/tmp/x" starts with "-"'],
  ['a head ref that is a range', ['plan', '--changed', '--base', 'main', '--head', 'main..HEAD'], '--head "main..HEAD" is not a plain git revision'],
  ['--changed with mermaid', ['plan', '--changed', '--base', 'main', '--format', 'mermaid'], '--changed prints text, json or matrix'],
];
for (const [name, argv, message] of usageCases) {
  test(`usage error, exit 2: ${name}`, async () => {
    const dir = repo(threePlugins);

    const r = await cli(argv, dir);

    assert.equal([r.code, r.stdout], [2, '']);
    assert.match(r.stderr, `error: ${message}`);
  });
}

test('an unknown base ref: exit 1 with the E_GIT message', async () => {
  const dir = repo(threePlugins);

  const r = await cli(['plan', '--changed', '--base', 'origin/main', '--format', 'matrix'], dir);

  assert.equal([r.code, r.stdout], [1, '']);
  assert.match(r.stderr, 'error: E_GIT: unknown base ref "origin/main"');
  assert.match(r.stderr, 'fetch-depth: 0');
});

test('without --changed, plan still needs a workflow', async () => {
  const dir = repo(threePlugins);

  const without = await cli(['plan'], dir);
  const withOne = await cli(['plan', 'deliver'], dir);

  assert.equal([without.code, withOne.code], [2, 0]);
  assert.match(withOne.stdout, 'Workflow deliver');
});

test.run();
