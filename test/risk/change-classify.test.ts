// What a changed file is to its plugin, from its path inside the plugin directory; and which
// files have their functions measured.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classify, languageOf, type FileKind, type Language } from '../../src/risk/change/classify.ts';

const kinds: Array<[string, FileKind]> = [
  ['plugin.json', 'manifest'],
  ['plugin.yaml', 'manifest'],
  ['plugin.yml', 'manifest'],
  ['config/plugin.json', 'manifest'],
  ['backend/plugin.json', 'code'],
  ['package.json', 'dependency'],
  ['web/package-lock.json', 'dependency'],
  ['npm-shrinkwrap.json', 'dependency'],
  ['yarn.lock', 'dependency'],
  ['pnpm-lock.yaml', 'dependency'],
  ['requirements.txt', 'dependency'],
  ['requirements-dev.txt', 'dependency'],
  ['requirements/base.txt', 'dependency'],
  ['constraints.txt', 'dependency'],
  ['pyproject.toml', 'dependency'],
  ['poetry.lock', 'dependency'],
  ['Pipfile', 'dependency'],
  ['Pipfile.lock', 'dependency'],
  ['setup.py', 'dependency'],
  ['setup.cfg', 'dependency'],
  ['go.mod', 'dependency'],
  ['go.sum', 'dependency'],
  ['Cargo.toml', 'dependency'],
  ['Cargo.lock', 'dependency'],
  ['Gemfile', 'dependency'],
  ['Gemfile.lock', 'dependency'],
  ['tests/package.json', 'dependency'],
  ['tests/helpers.py', 'test'],
  ['test/fixture.json', 'test'],
  ['web/__tests__/app.js', 'test'],
  ['spec/app.rb', 'test'],
  ['backend/test_plugin.py', 'test'],
  ['backend/plugin_test.py', 'test'],
  ['conftest.py', 'test'],
  ['web/app.test.js', 'test'],
  ['web/app.spec.ts', 'test'],
  ['README.md', 'documentation'],
  ['tests/README.md', 'documentation'],
  ['NOTES.txt', 'documentation'],
  ['docs/conf.py', 'documentation'],
  ['docs/img/logo.png', 'documentation'],
  ['backend/plugin.py', 'code'],
  ['web/app.js', 'code'],
  ['testing.py', 'code'],
  ['latest/x.py', 'code'],
  ['icon.png', 'code'],
];

for (const [path, kind] of kinds) {
  test(`${path} is ${kind}`, () => {
    assert.is(classify(path), kind);
  });
}

const languages: Array<[string, Language | undefined]> = [
  ['a.py', 'python'], ['a.js', 'javascript'], ['a.mjs', 'javascript'], ['a.cjs', 'javascript'],
  ['a.ts', undefined], ['a.pyc', undefined], ['a.json', undefined], ['py', undefined],
];

for (const [path, language] of languages) {
  test(`${path} is measured as ${language ?? 'nothing'}`, () => {
    assert.is(languageOf(path), language);
  });
}

test.run();
