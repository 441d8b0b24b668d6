import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileNameProblem, safeIncidentId } from '../../src/journal/names.ts';

const plainIds = ['INC-42', 'inc_7.a', 'a1'];
for (const id of plainIds) {
  test(`a plain incident id "${id}" is its own folder name`, () => {
    assert.is(safeIncidentId(id), id);
  });
}

const hostileIds = ['../x', '/etc/passwd', 'a/b', '..', '.', '', 'a\\b', ' x ', '.hidden', 'a..b', 'x'.repeat(300)];
for (const id of hostileIds) {
  test(`a hostile incident id ${JSON.stringify(id.slice(0, 20))} becomes one plain, stable folder name`, () => {
    const safe = safeIncidentId(id);

    assert.match(safe, /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
    assert.not.ok(safe.includes('..'));
    assert.ok(safe.length <= 100);
    assert.is(safeIncidentId(id), safe);
  });
}

test('ids that sanitise alike still get different folders', () => {
  assert.is.not(safeIncidentId('a/b'), safeIncidentId('a-b'));
  assert.is.not(safeIncidentId('a/b'), safeIncidentId('a:b'));
});

const names: Array<[string, boolean]> = [
  ['report.md', true], ['diff.patch', true], ['feedback-1.md', true],
  ['../x', false], ['/etc/passwd', false], ['a/b', false], ['..', false], ['.', false],
  ['.git', false], ['a\\b', false], ['', false], ['summary.md', false], ['timeline.json', false], ['x\ny', false],
];
for (const [name, ok] of names) {
  test(`file name ${JSON.stringify(name)} is ${ok ? 'accepted' : 'refused'}`, () => {
    assert.is(fileNameProblem(name) === undefined, ok);
  });
}

test.run();
