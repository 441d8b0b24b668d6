// The dashboard's pure parts: escaping by construction, the language a request gets, the
// formats, where signing in may send the browser, and sessions on a virtual clock.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Sessions, csrfMatches, cookieValue } from '../../src/api/sessions.ts';
import { html, join, prose, queryString, raw } from '../../src/ui/html.ts';
import { formatDuration, fromAcceptLanguage, pickLocale } from '../../src/ui/i18n.ts';
import { safeNext } from '../../src/ui/server.ts';

const test = suite('dashboard frame');

test('every interpolated value is escaped unless it is markup built here', () => {
  const name = `<script>alert("x")</script>&'`;
  assert.is(html`<td title="${name}">${name}</td>`.text, '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td>');
  assert.is(html`<ul>${['<a>', html`<li>ok</li>`, undefined, false, null]}</ul>`.text, '<ul>&lt;a&gt;<li>ok</li></ul>');
  assert.is(html`${raw('<b>')}`.text, '<b>');
  assert.is(prose('run `a<b>` then `c`, <i>x</i>').text, 'run <code>a&lt;b&gt;</code> then <code>c</code>, &lt;i&gt;x&lt;/i&gt;', 'backticks become code; everything stays escaped');
  assert.is(prose('an `unclosed span').text, 'an `unclosed span');
  assert.is(join(['<', '>'], html`<br>`).text, '&lt;<br>&gt;');
  assert.is(queryString({ a: 'x y', b: undefined, c: '', d: 2 }), '?a=x+y&d=2');
});

test('the language: the switch, then the cookie, then Accept-Language by q, then the project, then English', () => {
  assert.is(fromAcceptLanguage('fr-FR, ko;q=0.8, en;q=0.9'), 'en');
  assert.is(fromAcceptLanguage('ko-KR,ko;q=0.9'), 'ko');
  assert.is(fromAcceptLanguage('fr, de;q=0.5'), undefined);
  assert.is(fromAcceptLanguage('en;q=0, ko;q=0.1'), 'ko');
  assert.is(pickLocale({ query: 'ko', cookie: 'en', acceptLanguage: 'en' }), 'ko');
  assert.is(pickLocale({ query: 'xx', cookie: 'en', acceptLanguage: 'ko' }), 'en');
  assert.is(pickLocale({ acceptLanguage: 'fr', project: 'ko' }), 'ko');
  assert.is(pickLocale({}), 'en');
});

test('durations read naturally in both languages', () => {
  assert.is(formatDuration('en', 250), '250 ms');
  assert.is(formatDuration('en', 1500), '1.5 s');
  assert.is(formatDuration('en', 90_000), '1 m 30 s');
  assert.is(formatDuration('ko', 3_660_000), '1 시간 1 분');
  assert.is(formatDuration('en', undefined), '');
});

test('after signing in the browser only goes to a path on this site', () => {
  for (const bad of [null, '', 'https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/x\r\nSet-Cookie: a=b']) assert.is(safeNext(bad), '/', String(bad));
  // Browsers drop tabs and line breaks and read `\` as `/`: each of these would leave the site.
  for (const bad of ['/\t/evil.example', '/%09/evil.example'.replace('%09', '\t'), '/\n/evil.example', '/ /evil.example', '/\u000b/x', '/\u0000', '/x\\y', 'x'.repeat(3000)]) assert.is(safeNext(bad), '/', JSON.stringify(bad));
  assert.is(safeNext('/checks?status=down'), '/checks?status=down');
  assert.is(safeNext('/%2F/x'), '/%2F/x', 'an encoded slash stays a path on this site');
  assert.is(safeNext('/검색?q=가'), '/%EA%B2%80%EC%83%89?q=%EA%B0%80', 'written back percent-encoded, so it fits a Location header');
  assert.is(safeNext('/a/../../b'), '/b');
});

test('sessions expire, end, and end when their token is removed or rotated', () => {
  let now = 1_000;
  const sessions = new Sessions(() => now, () => 60_000);
  const server = { tokens: [{ name: 'ops', token: { env: 'OPS' }, scopes: ['write' as const] }] };
  const env: Record<string, string | undefined> = { OPS: 'secret-1' };
  const s = sessions.create('ops', 'secret-1');
  assert.ok(sessions.get(s.id, server, env));
  assert.equal(sessions.caller(s, server), { name: 'ops', scopes: ['write'] });
  assert.ok(csrfMatches(s, s.csrf));
  assert.not.ok(csrfMatches(s, undefined));
  assert.not.ok(csrfMatches(s, s.csrf + 'x'));
  env.OPS = 'secret-2';
  assert.is(sessions.get(s.id, server, env), undefined, 'a rotated token ends its sessions');
  env.OPS = 'secret-1';
  const t = sessions.create('ops', 'secret-1');
  now += 60_000;
  assert.is(sessions.get(t.id, server, env), undefined, 'expired');
  const u = sessions.create('ops', 'secret-1');
  assert.is(sessions.get(u.id, { tokens: [] }, env), undefined, 'a removed token ends its sessions');
  const v = sessions.create('ops', 'secret-1');
  sessions.end(v.id);
  assert.is(sessions.get(v.id, server, env), undefined);
  assert.is(cookieValue('a=1; pluginops_session=abc; b=2', 'pluginops_session'), 'abc');
  assert.is(cookieValue(undefined, 'x'), undefined);
});

test.run();
