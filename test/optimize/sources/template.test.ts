// `${{ plugin }}` in queries and paths: substitution (whitespace inside the braces tolerated),
// escaping for a double-quoted label value, unknown or unclosed placeholders said in words, and
// ids that cannot be part of a path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLabelValue, fillPath, fillQuery, fillTemplate, templateProblem } from '../../../src/optimize/sources/template.ts';

test('substitution: every `${{ plugin }}`, with or without spaces inside the braces', () => {
  const cases: Array<[string, string]> = [
    ['rate(cpu{job="${{ plugin }}"}[5m])', 'rate(cpu{job="resizer"}[5m])'],
    ['${{plugin}}', 'resizer'],
    ['${{   plugin\t}}/${{ plugin }}.pid', 'resizer/resizer.pid'],
    ['no placeholder', 'no placeholder'],
    ['$ {{ plugin }} and {{ plugin }}', '$ {{ plugin }} and {{ plugin }}'],
  ];
  for (const [text, want] of cases) assert.equal(fillTemplate(text, 'resizer'), { ok: true, text: want }, text);
});

test('templateProblem: undefined for good text, words for an unknown or unclosed placeholder', () => {
  const cases: Array<[string, string | undefined]> = [
    ['up{job="${{ plugin }}"}', undefined],
    ['', undefined],
    ['up{job="${{ plugins }}"}', '`${{ plugins }}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)'],
    ['${{ value }}', '`${{ value }}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)'],
    ['${{}}', '`${{}}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)'],
    ['up{job="${{ plugin "}', '`${{` has no closing `}}`; expected `${{ plugin }}`'],
    ['${{ plugin }} ${{ env.HOME }}', '`${{ env.HOME }}` is not a known placeholder; expected `${{ plugin }}` (the plugin\'s id)'],
  ];
  for (const [text, want] of cases) assert.is(templateProblem(text), want, text);
  assert.equal(fillTemplate('${{ value }}', 'x'), { ok: false, error: templateProblem('${{ value }}') });
});

test('queries: the id is escaped for a double-quoted label value', () => {
  assert.is(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.equal(fillQuery('up{plugin="${{ plugin }}"}', 'we"ird\\'), { ok: true, text: 'up{plugin="we\\"ird\\\\"}' });
  assert.equal(fillQuery('up{plugin="${{ plugin }}"}', 'resizer-2'), { ok: true, text: 'up{plugin="resizer-2"}' });
});

test('paths: an id that could leave its folder is refused', () => {
  assert.equal(fillPath('run/${{ plugin }}.pid', 'resizer'), { ok: true, text: 'run/resizer.pid' });
  for (const bad of ['..', 'a/b', 'a\\b', '']) {
    const r = fillPath('run/${{ plugin }}.pid', bad);
    assert.is(r.ok, false, bad);
    if (!r.ok) assert.match(r.error, 'cannot be part of a path');
  }
});

test.run();
