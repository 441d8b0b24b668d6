import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isShared, pluginRoots, selectChanged, type TreeFile } from '../../src/project/changed/select.ts';

const tree = (...paths: string[]): TreeFile[] => paths.map((path, i) => ({ path, object: `obj${i}` }));
const roots = (files: TreeFile[], dirs: string[]) => pluginRoots(files, dirs).map((r) => [r.path, r.manifest.path]).sort();

const rootCases: Array<[string, string[], string[], string[][]]> = [
  ['config/plugin.json makes the grandparent the plugin, not config/', ['p/a/config/plugin.json'], ['p'], [['p/a', 'p/a/config/plugin.json']]],
  ['config/plugin.json wins over plugin.json and plugin.yaml', ['p/a/plugin.yaml', 'p/a/plugin.json', 'p/a/config/plugin.json'], ['p'], [['p/a', 'p/a/config/plugin.json']]],
  ['plugin.json wins over plugin.yaml', ['p/a/plugin.yaml', 'p/a/plugin.json'], ['p'], [['p/a', 'p/a/plugin.json']]],
  ['only under the given directories', ['p/a/plugin.json', 'q/b/plugin.json', 'pp/c/plugin.json'], ['p'], [['p/a', 'p/a/plugin.json']]],
  ['hidden directories and node_modules below a search directory are skipped', ['p/.x/plugin.json', 'p/node_modules/y/plugin.json', 'p/a/plugin.json'], ['p'], [['p/a', 'p/a/plugin.json']]],
  ['a hidden search directory named on purpose is searched', ['.plugins/a/plugin.json'], ['.plugins'], [['.plugins/a', '.plugins/a/plugin.json']]],
  ['the whole repository, the root itself a plugin', ['plugin.yaml', 'x/plugin.yml'], [''], [['', 'plugin.yaml'], ['x', 'x/plugin.yml']]],
  ['not a manifest name', ['p/a/my-plugin.json', 'p/a/config/plugin.yaml.bak'], ['p'], []],
];
for (const [name, files, dirs, expected] of rootCases) {
  test(`pluginRoots: ${name}`, () => {
    assert.equal(roots(tree(...files), dirs), expected);
  });
}

const sharedCases: Array<[string, boolean]> = [
  ['pluginops.yml', true],
  ['pipelines/deploy.yml', true],
  ['pipelines/deep/er/x.YAML', true],
  ['pipelines/README.md', false],
  ['pipelines/.drafts/x.yml', false],
  ['pipelines-old/x.yml', false],
  ['other.yml', false],
];
for (const [file, expected] of sharedCases) {
  test(`isShared: ${file} → ${expected}`, () => {
    assert.is(isShared(file, ['pluginops.yml', 'pipelines']), expected);
  });
}

test('selectChanged: each file goes to its nearest plugin; files in no plugin are dropped', () => {
  const found = pluginRoots(tree('p/a/plugin.json', 'p/a/sub/b/plugin.json'), ['p']);

  const s = selectChanged(['p/a/x', 'p/a/sub/y', 'p/a/sub/b/z', 'p/a/sub/b/deeper/w', 'q/v', 'p/other'], found, []);

  assert.ok(s.kind === 'owned');
  assert.equal(s.owned.map((o) => [o.root.path, o.files]).sort(), [['p/a', ['p/a/x', 'p/a/sub/y']], ['p/a/sub/b', ['p/a/sub/b/z', 'p/a/sub/b/deeper/w']]]);
});

test('selectChanged: one shared file lists every plugin', () => {
  const found = pluginRoots(tree('p/a/plugin.json', 'p/b/plugin.json'), ['p']);

  const s = selectChanged(['p/a/x', 'pluginops.yml'], found, ['pluginops.yml']);

  assert.ok(s.kind === 'shared');
  assert.equal([s.files, s.roots.map((r) => r.path)], [['pluginops.yml'], ['p/a', 'p/b']]);
});

test.run();
