// Every relative link and #anchor in README.md and docs/*.md leads somewhere: the file exists in
// the repository, and the anchor is a heading of the page it names (as GitHub makes anchors).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { root } from '../cli/helpers.ts';
import { anchors, links, pages, type Page } from './markdown.ts';

const all = pages(root);
const byFile = new Map(all.map((p) => [p.file, p]));

/** What is wrong with one link of `page`, or undefined when it resolves. */
function broken(page: Page, target: string, known: Map<string, Page> = byFile, exists = (p: string) => existsSync(join(root, p))): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // https:, mailto:
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const file = path ? normalize(join(dirname(page.file), path)).replace(/\/$/, '') : page.file;
  if (file.startsWith('..')) return `${target} leaves the repository`;
  if (!exists(file)) return `${target}: no file ${file}`;
  if (anchor === undefined) return undefined;
  const other = known.get(file);
  if (!other) return `${target}: ${file} is not a page whose headings are known`;
  return anchors(other).has(anchor) ? undefined : `${target}: ${file} has no heading #${anchor}`;
}

test('the pages are README.md and the docs/ reference, and they link to each other', () => {
  assert.ok(all.length >= 10, all.map((p) => p.file).join(', '));
  const fromReadme = links(byFile.get('README.md')!).map((l) => l.target);
  for (const p of all.filter((x) => x.file !== 'README.md')) assert.ok(fromReadme.includes(p.file), `the README's "Read on" list links ${p.file}`);
});

test('every relative link and #anchor resolves', () => {
  const problems: string[] = [];
  let count = 0;
  for (const page of all) {
    for (const l of links(page)) {
      count++;
      const why = broken(page, l.target);
      if (why) problems.push(`${page.file}:${l.line}: ${why}`);
    }
  }
  assert.equal(problems, []);
  assert.ok(count >= 30, `checked ${count} links`);
});

test('a broken path, a missing anchor and an anchor on another page are each caught', () => {
  const a: Page = { file: 'docs/a.md', text: '# A page\n\n## Second `part`\n\n```sh\n# not a heading\n```\n' };
  const b: Page = { file: 'docs/b.md', text: 'See [x](a.md#second-part), [y](a.md#not-a-heading), [z](#nope), [w](../nofile.md), [v](../README.md).\n' };
  const known = new Map([[a.file, a], [b.file, b]]);
  const exists = (p: string) => p === 'docs/a.md' || p === 'docs/b.md' || p === 'README.md';
  assert.equal(links(b).map((l) => broken(b, l.target, known, exists)), [
    undefined,
    'a.md#not-a-heading: docs/a.md has no heading #not-a-heading',
    '#nope: docs/b.md has no heading #nope',
    '../nofile.md: no file nofile.md',
    undefined,
  ]);
});

test('every source path the pages and the ADRs name (`src/…`, `scripts/…`) exists, so a move cannot leave them behind', () => {
  const adrs = readdirSync(join(root, 'docs', 'adr')).map((f) => `docs/adr/${f}`);
  const missing = [...all.map((p) => p.file), ...adrs].flatMap((file) => {
    const text = readFileSync(join(root, file), 'utf8');
    return [...text.matchAll(/`((?:src|scripts|test|bench)\/[A-Za-z0-9_./-]+?)`/g)].map((m) => m[1]!.replace(/\/$/, ''))
      .filter((path) => !path.includes('*') && !existsSync(join(root, path)))
      .map((path) => `${file}: ${path}`);
  });
  assert.equal(missing, []);
});

test.run();
