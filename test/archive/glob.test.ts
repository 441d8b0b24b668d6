// The glob matcher, as a table: pattern, path, whether the path is a directory, expected match.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createExcluder } from '../../src/plugins/archive/exclude.ts';
import { compileGlob, matchGlob } from '../../src/plugins/archive/glob.ts';

const F = false, D = true;

const cases: Array<[pattern: string, path: string, isDir: boolean, expected: boolean]> = [
  // `*` stays inside one segment; a pattern without `/` matches at any depth
  ['*.log', 'debug.log', F, true],
  ['*.log', 'a/b/debug.log', F, true],
  ['*.log', 'debug.log.txt', F, false],
  ['*.log', 'logs/x', F, false],
  ['a*c', 'abbbc', F, true],
  ['a*c', 'ab/c', F, false],
  // `?` is one character, never `/`
  ['a?.txt', 'ab.txt', F, true],
  ['a?.txt', 'a.txt', F, false],
  ['a?.txt', 'abc.txt', F, false],
  ['a?c', 'a/c', F, false],
  // a `/` inside the pattern anchors it at the root; a leading `/` only anchors
  ['docs/*.md', 'docs/a.md', F, true],
  ['docs/*.md', 'x/docs/a.md', F, false],
  ['docs/*.md', 'docs/sub/a.md', F, false],
  ['/top.txt', 'top.txt', F, true],
  ['/top.txt', 'sub/top.txt', F, false],
  ['top.txt', 'sub/top.txt', F, true],
  // `**`
  ['docs/**', 'docs/a.md', F, true],
  ['docs/**', 'docs/a/b/c.md', F, true],
  ['docs/**', 'docs', D, false],
  ['**/fixtures', 'fixtures', D, true],
  ['**/fixtures', 'test/unit/fixtures', D, true],
  ['a/**/z.txt', 'a/z.txt', F, true],
  ['a/**/z.txt', 'a/b/c/z.txt', F, true],
  ['a/**/z.txt', 'b/a/z.txt', F, false],
  ['**/*.snap', 'x/y/t.snap', F, true],
  // a trailing `/` matches directories only
  ['tmp/', 'tmp', D, true],
  ['tmp/', 'tmp', F, false],
  ['tmp/', 'a/tmp', D, true],
  ['cache/data/', 'cache/data', D, true],
  ['cache/data/', 'x/cache/data', D, false],
  // regular-expression characters are literal
  ['file(1).txt', 'file(1).txt', F, true],
  ['a+b', 'aab', F, false],
  ['a.b', 'axb', F, false],
  ['$x^', '$x^', F, true],
  // classes and alternatives, the same syntax as scan excludes
  ['*.{log,tmp}', 'a/b.tmp', F, true],
  ['*.{log,tmp}', 'b.txt', F, false],
  ['build[0-9]', 'build7', D, true],
  ['build[!0-9]', 'build7', D, false],
  ['[', '[', F, true],
  // dotfiles are not special to the matcher itself
  ['.*', '.env', F, true],
  ['.*', 'src/.hidden', D, true],
  ['.*', 'src/a.b', F, false],
];

for (const [pattern, path, isDir, expected] of cases) {
  test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${isDir ? 'dir' : 'file'} ${path}`, () => {
    assert.is(matchGlob(compileGlob(pattern), path, isDir), expected);
  });
}

test('the default exclusions: VCS, dependencies, build output, bytecode, dotfiles', () => {
  const excluded = createExcluder([]);
  const table: Array<[string, boolean, boolean]> = [
    ['.git', D, true], ['node_modules', D, true], ['node_modules', F, true], ['a/node_modules', D, true], ['build', D, true], ['src/build', D, true],
    ['dist', D, true], ['__pycache__', D, true], ['m.pyc', F, true], ['pkg/m.pyc', F, true], ['.env', F, true],
    ['src/.cache', D, true], ['build', F, false], ['src/main.py', F, false], ['distribution', D, false], ['README.md', F, false],
  ];
  for (const [path, isDir, expected] of table) assert.is(excluded(path, isDir), expected, `${path} (${isDir ? 'dir' : 'file'})`);
});

test('extra patterns and excluded paths add to the defaults', () => {
  const excluded = createExcluder(['*.log', 'docs/'], ['out/packages']);
  assert.ok(excluded('x/a.log', F));
  assert.ok(excluded('docs', D));
  assert.ok(excluded('out/packages', D));
  assert.not.ok(excluded('out', D));
  assert.ok(excluded('node_modules', D), 'defaults still apply');
});

test.run();
