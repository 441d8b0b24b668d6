// The pure core of the merge-conflict check: hunk headers, git diff sections, distances between
// hunks, levels, the bounded report, and the two renderers (escaping what other people wrote).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGitDiff } from '../../src/risk/conflicts/diff.ts';
import { changesOf } from '../../src/risk/conflicts/github.ts';
import { maxHunksPerFile, parseHunks } from '../../src/risk/conflicts/hunks.ts';
import { conflictMarkdown, escapeMarkdown } from '../../src/risk/conflicts/markdown.ts';
import { conflictOverlap, gap, levelOf, maxHunksShown, overlapFiles, type FileChange } from '../../src/risk/conflicts/overlap.ts';
import { conflictReport, maxFilesPerOverlap, maxOverlaps, skippedReport } from '../../src/risk/conflicts/report.ts';
import { conflictText } from '../../src/risk/conflicts/text.ts';
import type { ConflictFile, ConflictOverlap, Hunk } from '../../src/risk/types.ts';

const hunkCases: Array<[string, string, Hunk[]]> = [
  ['a count', '@@ -10,3 +10,4 @@ def f():\n-a\n+b', [{ start: 10, lines: 3 }]],
  ['the count omitted means one line', '@@ -7 +7 @@\n-x\n+y', [{ start: 7, lines: 1 }]],
  ['a pure insertion after a line', '@@ -12,0 +13,2 @@\n+a\n+b', [{ start: 12, lines: 0 }]],
  ['a new file', '@@ -0,0 +1,5 @@\n+1', [{ start: 0, lines: 0 }]],
  ['a pure deletion', '@@ -4,2 +3,0 @@\n-a\n-b', [{ start: 4, lines: 2 }]],
  ['several, with CRLF', '@@ -1,2 +1,2 @@\r\n-a\r\n+b\r\n@@ -40 +40,3 @@\r\n+c', [{ start: 1, lines: 2 }, { start: 40, lines: 1 }]],
  ['changed lines that look like headers are skipped', '@@ -1 +1 @@\n-@@ -99 +99 @@\n+ @@ -5 +5 @@\n diff --git a/x b/x', [{ start: 1, lines: 1 }]],
  ['no headers at all', 'Binary files differ\n', []],
  ['a malformed header', '@@ -x,1 +1 @@\n@@ -1,2 @@', []],
];
for (const [name, patch, expected] of hunkCases) {
  test(`hunks: ${name}`, () => assert.equal(parseHunks(patch), expected));
}

test('hunks: a file is read up to the cap', () => {
  const patch = Array.from({ length: maxHunksPerFile + 5 }, (_, i) => `@@ -${i * 3 + 1} +${i * 3 + 1} @@\n-a\n+b`).join('\n');
  assert.is(parseHunks(patch).length, maxHunksPerFile);
});

const h = (start: number, lines: number): Hunk => ({ start, lines });
const gapCases: Array<[string, Hunk, Hunk, number]> = [
  ['overlapping ranges', h(10, 3), h(11, 3), 0],
  ['the same line', h(5, 1), h(5, 1), 0],
  ['adjacent ranges conflict in git too', h(10, 3), h(13, 2), 0],
  ['one line between', h(10, 3), h(14, 1), 1],
  ['far apart, either order', h(100, 1), h(10, 3), 87],
  ['an insertion after the last line of a range', h(12, 0), h(10, 3), 0],
  ['an insertion just before a range', h(9, 0), h(10, 3), 0],
  ['an insertion one line before a range', h(8, 0), h(10, 3), 1],
  ['two insertions at the same place', h(4, 0), h(4, 0), 0],
  ['two insertions one line apart', h(4, 0), h(5, 0), 1],
];
for (const [name, a, b, expected] of gapCases) {
  test(`gap: ${name}`, () => {
    assert.is(gap(a, b), expected);
    assert.is(gap(b, a), expected, 'symmetric');
  });
}

const file = (path: string, ...hunks: Hunk[]): FileChange => ({ path, hunks });
const whole = (path: string): FileChange => ({ path, hunks: null });

const overlapCases: Array<[string, FileChange[], FileChange[], Array<[string, number | null]>, string | undefined]> = [
  ['no shared file', [file('a', h(1, 1))], [file('b', h(1, 1))], [], undefined],
  ['overlapping hunks', [file('a', h(10, 3))], [file('a', h(11, 3))], [['a', 0]], 'high'],
  ['the nearest pair among many', [file('a', h(1, 1), h(50, 2), h(200, 1))], [file('a', h(30, 1), h(60, 5), h(400, 1))], [['a', 8]], 'medium'],
  ['within the medium threshold', [file('a', h(10, 1))], [file('a', h(31, 1))], [['a', 20]], 'medium'],
  ['just past it', [file('a', h(10, 1))], [file('a', h(32, 1))], [['a', 21]], 'low'],
  ['a whole-file change on our side', [whole('a')], [file('a', h(500, 1))], [['a', null]], 'high'],
  ['a whole-file change on theirs', [file('a', h(1, 1))], [whole('a')], [['a', null]], 'high'],
  ['files sorted nearest first, whole-file first of all', [file('b', h(1, 1)), file('a', h(1, 1)), whole('c')], [file('a', h(90, 1)), file('b', h(40, 1)), file('c', h(1, 1))], [['c', null], ['b', 38], ['a', 88]], 'high'],
];
for (const [name, ours, theirs, expected, level] of overlapCases) {
  test(`overlap: ${name}`, () => {
    const files = overlapFiles(ours, theirs);
    assert.equal(files.map((f) => [f.path, f.distance]), expected);
    assert.is(files.length ? levelOf(files) : undefined, level);
  });
}

test('overlap: git finding a conflict makes it high whatever the distance', () => {
  const files = overlapFiles([file('a', h(1, 1))], [file('a', h(100, 1))]);
  assert.is(levelOf(files), 'low');
  assert.is(conflictOverlap({ kind: 'branch', branch: 'x' }, files, { conflicts: true })?.level, 'high');
  assert.is(conflictOverlap({ kind: 'branch', branch: 'x' }, []), undefined, 'no shared file, no overlap');
});

test('overlap: the hunks kept are bounded and hold the nearest pair', () => {
  const many = Array.from({ length: 500 }, (_, i) => h(i * 10 + 1, 1));
  const [f] = overlapFiles([file('a', ...many)], [file('a', h(3003, 1))]);
  assert.is(f?.distance, 1);
  assert.is(f?.ours.length, maxHunksShown);
  assert.ok(f?.ours.some((x) => x.start === 3001));
  assert.equal(f?.theirs, [h(3003, 1)]);
});

const overlap = (branch: string, level: ConflictOverlap['level'], distance: number | null, files = 1): ConflictOverlap => ({
  other: { kind: 'branch', branch }, level,
  files: Array.from({ length: files }, (_, i): ConflictFile => ({ path: `f${i}`, distance, ours: [], theirs: [] })),
});

test('report: the highest level, riskiest first, then nearest', () => {
  const r = conflictReport({ source: 'git', compared: 4, overlaps: [overlap('low', 'low', 90), overlap('far', 'medium', 15), overlap('near', 'medium', 2), overlap('top', 'high', 0)] });
  assert.is(r.level, 'high');
  assert.equal(r.overlaps.map((o) => o.other.branch), ['top', 'near', 'far', 'low']);
  assert.is(r.compared, 4);
  assert.is(r.notCompared, undefined);
});

test('report: bounded, saying how much it left out', () => {
  const overlaps = Array.from({ length: maxOverlaps + 7 }, (_, i) => overlap(`b${i}`, 'low', 30 + i, i === 0 ? maxFilesPerOverlap + 3 : 1));
  const r = conflictReport({ source: 'git', compared: 300, notCompared: 12, overlaps });
  assert.is(r.overlaps.length, maxOverlaps);
  assert.is(r.moreOverlaps, 7);
  assert.is(r.notCompared, 12);
  assert.is(r.overlaps[0]?.files.length, maxFilesPerOverlap);
  assert.is(r.overlaps[0]?.moreFiles, 3);
  assert.is(conflictReport({ source: 'git', compared: 0, overlaps: [] }).level, 'none');
});

test('git diff: paths plain, quoted and binary; deleted and mode-only files are whole-file changes', () => {
  const diff = [
    'diff --git a/plugins/a/x.py b/plugins/a/x.py',
    'index 1111111..2222222 100644',
    '--- a/plugins/a/x.py',
    '+++ b/plugins/a/x.py',
    '@@ -10,3 +10,3 @@',
    '--- not a header',
    '+++ not a header either',
    '@@ -40,0 +41 @@',
    '+x',
    'diff --git "a/plugins/a/tab\\there \\"q\\" \\303\\251.txt" "b/plugins/a/tab\\there \\"q\\" \\303\\251.txt"',
    'new file mode 100644',
    '--- /dev/null',
    '+++ "b/plugins/a/tab\\there \\"q\\" \\303\\251.txt"',
    '@@ -0,0 +1 @@',
    '+a',
    'diff --git a/plugins/a/logo b.png b/plugins/a/logo b.png',
    'index 3333333..4444444 100644',
    'Binary files a/plugins/a/logo b.png and b/plugins/a/logo b.png differ',
    'diff --git a/plugins/a/gone.py b/plugins/a/gone.py',
    'deleted file mode 100644',
    '--- a/plugins/a/gone.py',
    '+++ /dev/null',
    '@@ -1,4 +0,0 @@',
    'diff --git a/run.sh b/run.sh',
    'old mode 100644',
    'new mode 100755',
    '',
  ].join('\n');
  assert.equal(parseGitDiff(diff), [
    { path: 'plugins/a/x.py', hunks: [h(10, 3), h(40, 0)] },
    { path: 'plugins/a/tab\there "q" é.txt', hunks: [h(0, 0)] },
    { path: 'plugins/a/logo b.png', hunks: null },
    { path: 'plugins/a/gone.py', hunks: null },
    { path: 'run.sh', hunks: null },
  ]);
});

test('pull files: only those under the paths; no patch, removed or renamed is a whole-file change', () => {
  const changes = changesOf([
    { path: 'plugins/a/x.py', status: 'modified', patch: '@@ -3,2 +3,2 @@\n-a\n+b' },
    { path: 'plugins/a/logo.png', status: 'modified' },
    { path: 'plugins/a/old.py', status: 'removed', patch: '@@ -1,3 +0,0 @@' },
    { path: 'plugins/a/moved.py', status: 'renamed', patch: '@@ -1 +1 @@' },
    { path: 'plugins/ab/y.py', status: 'modified', patch: '@@ -1 +1 @@' },
    { path: 'README.md', status: 'modified', patch: '@@ -1 +1 @@' },
  ], ['plugins/a']);
  assert.equal(changes, [
    { path: 'plugins/a/x.py', hunks: [h(3, 2)] },
    { path: 'plugins/a/logo.png', hunks: null },
    { path: 'plugins/a/old.py', hunks: null },
    { path: 'plugins/a/moved.py', hunks: null },
  ]);
});

const hostile = 'Fix | injected <img src=x onerror=alert(1)> `code` [link](https://evil.example) **bold** @org/team\nsecond line';

test('markdown: a hostile title and path cannot break the table, open HTML, link or mention', () => {
  const r = conflictReport({
    source: 'github', compared: 2, overlaps: [conflictOverlap(
      { kind: 'pull', number: 12, title: hostile, url: 'https://github.com/acme/widgets/pull/12', branch: 'x', author: 'mallory' },
      [{ path: 'plugins/a/x|y`<b>.py', distance: 0, ours: [h(10, 5)], theirs: [h(12, 9)] }],
    )!],
  });

  const md = conflictMarkdown(r);

  assert.match(md, /^### Merge-conflict risk: high\n/);
  const row = md.split('\n').find((l) => l.startsWith('| [#12'));
  assert.ok(row, 'one table row for the pull request');
  assert.is(row.split('|').length, 5, 'four cell borders, no extra pipe');
  assert.match(row, '(https://github.com/acme/widgets/pull/12)');
  assert.match(row, 'lines 10–14 and 12–20 overlap');
  for (const bad of ['<img', '`', '[link]', '**', '@org', '\n']) assert.not.ok(row.includes(bad), `no raw ${JSON.stringify(bad)}`);
  assert.is(md.split('\n').filter((l) => l.includes('second line')).length, 1, 'the title stays on its row');
  assert.is(escapeMarkdown('a|b'), 'a&#124;b');
});

test('markdown: distances in words, no overlap, and a skipped check', () => {
  const files: ConflictFile[] = [
    { path: 'a.py', distance: 8, ours: [h(1, 2)], theirs: [h(11, 1)] },
    { path: 'b.py', distance: null, ours: [], theirs: [h(1, 1)] },
    { path: 'c.py', distance: 0, ours: [h(10, 3)], theirs: [h(13, 1)] },
  ];
  const md = conflictMarkdown(conflictReport({ source: 'github', compared: 5, notCompared: 2, overlaps: [conflictOverlap({ kind: 'pull', number: 3, title: 't' }, files)!] }));
  assert.match(md, 'a.py: 8 lines apart (lines 1–2 and 11)');
  assert.match(md, 'b.py: same file, whole-file change');
  assert.match(md, 'c.py: lines 10–12 and 13 touch');
  assert.match(md, '1 other open pull request touches the same plugin files (5 other open pull requests compared; the 2 oldest were not');

  assert.is(conflictMarkdown(conflictReport({ source: 'github', compared: 4, overlaps: [] })),
    '### Merge-conflict risk: none\n\nNo other open pull request touches the same plugin files (4 other open pull requests compared).\n');
  assert.is(conflictMarkdown(skippedReport('github', 'GitHub listOpenPulls failed: HTTP 500 <b>')),
    '### Merge-conflict risk: not checked\n\nThe conflict check was skipped: GitHub listOpenPulls failed: HTTP 500 &#60;b&#62;.\n');
});

test('text: one block per branch, conflicts when known, names on one line', () => {
  const r = conflictReport({
    source: 'git', compared: 3, overlaps: [
      conflictOverlap({ kind: 'branch', branch: 'feature-a', author: 'Ann' }, [{ path: 'p/x.py', distance: 0, ours: [h(10, 3)], theirs: [h(11, 3)] }], { conflicts: true, conflicted: ['p/x.py'] })!,
      conflictOverlap({ kind: 'branch', branch: 'feature-b' }, [{ path: 'p/new\nline.py', distance: 87, ours: [h(10, 3)], theirs: [h(100, 1)] }], { conflicts: false })!,
    ],
  });
  assert.is(conflictText(r), [
    'Merge-conflict risk: high (3 other branches compared)',
    '  feature-a by Ann: high, conflicts: yes (p/x.py)',
    '    p/x.py: lines 10–12 and 11–13 overlap',
    '  feature-b: low, conflicts: no',
    '    p/new\\nline.py: 87 lines apart (lines 10–12 and 100)',
    '',
  ].join('\n'));
  assert.is(conflictText(conflictReport({ source: 'git', compared: 0, overlaps: [] })),
    'Merge-conflict risk: none (0 other branches compared)\nNo other branch touches the same plugin files.\n');
});

test.run();
