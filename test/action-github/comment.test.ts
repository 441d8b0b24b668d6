// The sticky comment through octokitPort and the fake API: created once, then updated in place.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commentBodyMax, commentMarker, hasMarker, markedBody, upsertComment } from '../../src/action/github/comment.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { portFor } from './helpers.ts';

const test = suite<{ gh: FakeGitHub }>('upsertComment', {} as { gh: FakeGitHub });
test.before.each(async (ctx) => { ctx.gh = await startFakeGitHub(); });
test.after.each(async (ctx) => { await ctx.gh.close(); });

test('the first upsert creates the comment, the second updates it', async ({ gh }) => {
  gh.seedComments(12, ['a human comment']);
  const { port } = portFor(gh);
  const marker = commentMarker('full_deployment', 'hello-plugin');

  const first = await upsertComment(port, 12, marker, '## run 1');
  const second = await upsertComment(port, 12, marker, '## run 2');

  assert.equal(first.created, true);
  assert.equal(second, { id: first.id, created: false });
  assert.equal(gh.comments(12).map((c) => c.body), [
    'a human comment',
    '<!-- pluginops:full_deployment:hello-plugin -->\n## run 2',
  ]);
  assert.equal(gh.requests.map((r) => r.method), ['GET', 'POST', 'GET', 'PATCH']);
});

test('finds its comment on a later page and leaves other markers alone', async ({ gh }) => {
  gh.seedComments(5, Array.from({ length: 130 }, (_, i) => `noise ${i}`));
  const [other] = gh.seedComments(5, [markedBody(commentMarker('full_deployment', 'other'), 'other plugin')]);
  const [mine] = gh.seedComments(5, [markedBody(commentMarker('full_deployment', 'mine'), 'old')]);
  const { port } = portFor(gh);

  const r = await upsertComment(port, 5, commentMarker('full_deployment', 'mine'), 'new');

  assert.equal(r, { id: mine!.id, created: false });
  assert.is(gh.comments(5).find((c) => c.id === other!.id)?.body, '<!-- pluginops:full_deployment:other -->\nother plugin');
  assert.is(gh.comments(5).find((c) => c.id === mine!.id)?.body, '<!-- pluginops:full_deployment:mine -->\nnew');
});

test('a reply quoting the comment is not taken for it', async ({ gh }) => {
  const marker = commentMarker('wf', 'p');
  gh.seedComments(3, [`> <!-- pluginops:${marker} -->\n> old\n\nwhy did this fail?`]);
  const { port } = portFor(gh);

  const r = await upsertComment(port, 3, marker, 'body');

  assert.is(r.created, true);
  assert.is(gh.comments(3).length, 2);
});

test('an unchanged body is not written again', async ({ gh }) => {
  const { port } = portFor(gh);
  await upsertComment(port, 1, 'm', 'same');
  await upsertComment(port, 1, 'm', 'same');
  assert.equal(gh.requests.map((r) => r.method), ['GET', 'POST', 'GET']);
});

test('commentMarker is stable, one per workflow and plugin, and cannot close the HTML comment', () => {
  assert.is(commentMarker('full_deployment', 'hello'), commentMarker('full_deployment', 'hello'));
  assert.is(commentMarker('wf', ''), 'wf');
  const cases = [['a', 'b:c'], ['a:b', 'c'], ['w', '@scope/p-->x'], ['w', 'p q']] as const;
  const markers = cases.map(([w, p]) => commentMarker(w, p));
  assert.is(new Set(markers).size, markers.length);
  for (const m of markers) assert.not.match(m, /-->|\s/);
  assert.ok(hasMarker(markedBody(markers[2]!, 'x'), markers[2]!));
});

test('markedBody starts with the marker line once and fits GitHub\'s limit', () => {
  assert.is(markedBody('m', '<!-- pluginops:m -->\nbody'), '<!-- pluginops:m -->\nbody');
  const long = markedBody('m', 'x'.repeat(70_000));
  assert.is(long.length, commentBodyMax);
  assert.ok(long.startsWith('<!-- pluginops:m -->\n'));
  assert.throws(() => markedBody('a -->', 'x'), /marker/);
});

test.run();
