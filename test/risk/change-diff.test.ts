// Reading git's output for a change: numstat records, -U0 patches (quoted names, content that
// looks like a header, deletions), batch-check answers; and a tally whose lists stay bounded
// however many files change.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changedRanges, numstat, unquote, type NumstatEntry } from '../../src/risk/change/diff.ts';
import { maxFiles, maxNames } from '../../src/risk/change/limits.ts';
import { parseBatchCheck } from '../../src/risk/change/sources.ts';
import { tallyOf } from '../../src/risk/change/tally.ts';

test('numstat -z records: lines, binary files with none, names with tabs and line breaks', () => {
  const out = Buffer.from('3\t1\tp/a.py\0-\t-\tp/icon.png\0' + '0\t2\tp/odd\tname\n.js\0');

  assert.equal([...numstat(out)], [
    { path: 'p/a.py', added: 3, deleted: 1, binary: false },
    { path: 'p/icon.png', added: 0, deleted: 0, binary: true },
    { path: 'p/odd\tname\n.js', added: 0, deleted: 2, binary: false },
  ]);
});

const patch = [
  'diff --git a/p/a.py b/p/a.py',
  'index 1111111..2222222 100644',
  '--- a/p/a.py',
  '+++ b/p/a.py',
  '@@ -2 +1,0 @@ def f(x):',
  '-    log()',
  '@@ -10,2 +9,3 @@ def g():',
  '-+++ b/not/a/header.py',
  '-@@ -1 +1 @@',
  '++++ b/still/content.py',
  '+diff --git a/x b/x',
  '+x',
  '@@ -20 +22 @@',
  '-old',
  '+new',
  '\\ No newline at end of file',
  'diff --git "a/p/t\\303\\251st \\"q\\".js" "b/p/t\\303\\251st \\"q\\".js"',
  'new file mode 100644',
  '--- /dev/null',
  '+++ "b/p/t\\303\\251st \\"q\\".js"\t',
  '@@ -0,0 +1,2 @@',
  '+a',
  '+b',
  'diff --git a/p/gone.js b/p/gone.js',
  'deleted file mode 100644',
  '--- a/p/gone.js',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-a',
  '-b',
  'diff --git a/p/a b.js b/p/a b.js',
  '--- a/p/a b.js\t',
  '+++ b/p/a b.js\t',
  '@@ -1 +1 @@',
  '-a',
  '+b',
  '',
].join('\n');

test('-U0 patches: head-side ranges per file; content lines that look like headers are content', () => {
  const ranges = changedRanges(Buffer.from(patch));

  assert.equal([...ranges], [
    ['p/a.py', [{ start: 2, end: 1 }, { start: 9, end: 11 }, { start: 22, end: 22 }]],
    ['p/tést "q".js', [{ start: 1, end: 2 }]],
    ['p/a b.js', [{ start: 1, end: 1 }]],
  ]);
});

const quoted: Array<[string, string]> = [
  ['b/plain.py', 'b/plain.py'],
  ['"b/tab\\there.py"', 'b/tab\there.py'],
  ['"b/back\\\\slash.py"', 'b/back\\slash.py'],
  ['"b/\\346\\227\\245.js"', 'b/日.js'],
  ['"b/new\\nline.js"', 'b/new\nline.js'],
];
for (const [name, text] of quoted) {
  test(`a name git quoted: ${name}`, () => {
    assert.is(unquote(name), text);
  });
}

test('batch-check answers in the order asked; missing objects and trees are undefined', () => {
  const out = Buffer.from('aaaa blob 12\nHEAD:p/gone.py missing\nbbbb tree 40\ncccc blob 0\n');

  assert.equal(parseBatchCheck(out), [{ object: 'aaaa', size: 12 }, undefined, undefined, { object: 'cccc', size: 0 }]);
});

test('a change of tens of thousands of files keeps counts, not lists', () => {
  function* entries(): Generator<NumstatEntry> {
    for (let i = 0; i < 30_000; i++) {
      yield { path: `p/m${i}/requirements.txt`, added: 1, deleted: 0, binary: false };
      yield { path: `p/src/f${i}.py`, added: 2, deleted: 1, binary: false };
      yield { path: `p/tests/test_${i}.py`, added: 1, deleted: 1, binary: false };
      yield { path: `p/assets/${i}.png`, added: 0, deleted: 0, binary: true };
    }
  }

  const t = tallyOf(entries(), 'p');

  assert.equal([t.files, t.linesAdded, t.linesDeleted, t.codeFiles, t.testFiles], [120_000, 120_000, 60_000, 60_000, 30_000]);
  assert.is(t.dependencyFiles.length, maxNames);
  assert.is(t.sources.length, maxFiles);
  assert.is(t.sources[0], 'p/src/f0.py');
  assert.is(t.skipped.length, maxNames);
  assert.match(t.skipped[0]!.reason, `only the first ${maxFiles}`);
});

test('the tally classifies inside the plugin directory: a plugin under test/ is not all tests', () => {
  const t = tallyOf([
    { path: 'test/fixtures/p/plugin.json', added: 1, deleted: 1, binary: false },
    { path: 'test/fixtures/p/main.py', added: 1, deleted: 0, binary: false },
    { path: 'test/fixtures/p/tests/test_main.py', added: 1, deleted: 0, binary: false },
  ], 'test/fixtures/p');

  assert.equal([t.manifests, t.codeFiles, t.testFiles, t.sources], [['test/fixtures/p/plugin.json'], 1, 1, ['test/fixtures/p/main.py']]);
});

test.run();
