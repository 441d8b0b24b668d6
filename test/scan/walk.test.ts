// Which files a scan reads: skipped directories, exclude globs, binary and oversized files,
// languages by extension, POSIX paths and a deterministic order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { globMatcher } from '../../src/plugins/scan/glob.ts';
import { maxFileSize } from '../../src/plugins/scan/scan.ts';
import { walkPlugin } from '../../src/plugins/scan/walk.ts';
import { removeTempDirs, scanTree, tempTree, where } from './helpers.ts';

test.after(removeTempDirs);

const globs: Array<[pattern: string, path: string, matches: boolean]> = [
  ['*.min.js', 'static/app.min.js', true],
  ['*.min.js', 'static/app.js', false],
  ['vendor', 'vendor/lib.py', true],
  ['vendor', 'src/vendor/lib.py', true],
  ['vendor', 'myvendor/lib.py', false],
  ['tests/**', 'tests/unit/test_a.py', true],
  ['tests/**', 'src/tests/test_a.py', false],
  ['/tests', 'tests/a.py', true],
  ['**/fixtures/*.py', 'a/b/fixtures/x.py', true],
  ['**/fixtures/*.py', 'fixtures/x.py', true],
  ['**/fixtures/*.py', 'fixtures/deep/x.py', false],
  ['src/*.{js,ts}', 'src/a.ts', true],
  ['src/*.{js,ts}', 'src/a.py', false],
  ['data?.txt', 'data1.txt', true],
  ['data?.txt', 'data10.txt', false],
  ['[ab].py', 'b.py', true],
  ['[!ab].py', 'b.py', false],
  ['./docs/', 'docs/index.md', true],
];

for (const [pattern, path, matches] of globs) {
  test(`glob ${pattern} ${matches ? 'matches' : 'does not match'} ${path}`, () => {
    assert.is(globMatcher([pattern])(path), matches);
  });
}

test('skips version control, dependencies, caches and build output; sorts paths; POSIX separators', async () => {
  const root = tempTree({
    'b.py': '', 'a/z.py': '', 'a/b/c.ts': '', 'A.js': '',
    '.git/config.py': '', 'node_modules/x/index.js': '', '__pycache__/m.py': '', 'build/out.js': '', 'dist/out.js': '',
    'src/build/keep.py': '', '.env': '',
  });
  symlinkSync(join(root, 'a'), join(root, 'link'));

  const files = await walkPlugin(root, []);

  assert.equal(files.map((f) => f.rel), ['.env', 'A.js', 'a/b/c.ts', 'a/z.py', 'b.py']);
  assert.equal(files.map((f) => f.language), ['other', 'javascript', 'typescript', 'python', 'python']);
});

test('languages by extension decide which rules run', async () => {
  const scan = await scanTree({ 'a.mjs': 'eval(x)\n', 'b.cjs': 'eval(x)\n', 'c.tsx': 'eval(x)\n', 'd.py': 'eval(x)\n', 'e.rb': 'eval(x)\n' });

  assert.equal(scan.findings.map(where), ['js.eval@a.mjs:1:1', 'js.eval@b.cjs:1:1', 'js.eval@c.tsx:1:1', 'python.eval@d.py:1:1']);
  assert.is(scan.files, 5);
});

test('exclude globs leave files and whole directories out', async () => {
  const scan = await scanTree({
    'main.py': 'eval(a)\n', 'tests/test_main.py': 'eval(b)\n', 'static/app.min.js': 'eval(c)\n', 'vendor/lib/x.py': 'eval(d)\n', 'static/app.js': 'eval(e)\n',
  }, { exclude: ['tests/**', '*.min.js', 'vendor'] });

  assert.equal(scan.findings.map(where), ['python.eval@main.py:1:1', 'js.eval@static/app.js:1:1']);
});

test('binary files and files over 1 MiB are skipped and listed', async () => {
  const binary = Buffer.concat([Buffer.from('eval(x)\n'), Buffer.from([0, 1, 2])]);
  const big = 'eval(x)\n' + 'x = 1\n'.repeat(Math.ceil(maxFileSize / 6));

  const scan = await scanTree({ 'lib.so.py': binary, 'huge.py': big, 'ok.py': 'eval(y)\n' });

  assert.equal(scan.findings.map(where), ['python.eval@ok.py:1:1']);
  assert.equal(scan.skipped, [{ file: 'huge.py', reason: 'larger than 1 MiB' }, { file: 'lib.so.py', reason: 'binary' }]);
  assert.is(scan.files, 1);
});

test('findings are ordered by file, line, column and rule; CRLF and a BOM do not shift positions', async () => {
  const scan = await scanTree({
    'z.py': '\uFEFFeval(a); exec(b)\r\nx = 1\r\n  os.system(c)\r\n',
    'a/m.py': 'exec(x)\n',
  });

  assert.equal(scan.findings.map(where), ['python.exec@a/m.py:1:1', 'python.eval@z.py:1:1', 'python.exec@z.py:1:10', 'python.os-system@z.py:3:3']);
});

test.run();
