// Inputs generated from typed parameter declarations (the Run and Modify forms): each type gets
// the input the shared script sends typed, with its label, required mark and description, and
// nothing from a declaration or a value becomes markup.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeType, parameterField, showValue } from '../../src/ui/runbooks/inputs.ts';

const field = (declared: Parameters<typeof parameterField>[1]['declared'], o: { value?: unknown; required?: boolean } = {}) =>
  parameterField('en', { name: 'n', field: 'values.n', id: 'f-n', declared, ...o }).text;

test('each declared type gets its input, typed for the script', () => {
  const cases: Array<[Parameters<typeof field>[0], RegExp]> = [
    [{ type: 'number', default: 2 }, /<input type="number" step="any"[^>]* name="values.n" data-type="number"[^>]* value="2">/],
    [{ type: 'boolean', default: true }, /<input type="checkbox" id="f-n" name="values.n" value="true" data-type="boolean"[^>]* checked>/],
    [{ type: 'string', default: 'a' }, /<input type="text" id="f-n" name="values.n"[^>]* value="a">/],
    [{ default: 'a' }, /<input type="text" id="f-n" name="values.n"[^>]* value="a">/],
    [{ type: 'string', enum: ['small', 'large'], default: 'large' }, /<select id="f-n" name="values.n"[^>]*>[\s\S]*<option value="large" selected>large<\/option>/],
    [{ type: 'number', enum: [1, 2] }, /<select id="f-n" name="values.n" data-type="number"/],
  ];
  for (const [declared, expected] of cases) assert.match(field(declared), expected, JSON.stringify(declared));
  assert.match(field({ type: 'string' }), /<label for="f-n">n<\/label>/);
});

test('a current value wins over the default; required is marked and enforced by the browser', () => {
  assert.match(field({ type: 'number', default: 2 }, { value: 7 }), /value="7"/);
  const required = field({ type: 'string' }, { required: true });
  assert.match(required, /\(required\)/);
  assert.match(required, / required aria-required="true"/);
  assert.not.match(field({ type: 'string' }), / required/);
  // An optional enum can be left empty (the default applies); a required one cannot.
  assert.match(field({ enum: ['a'] }), /<option value=""/);
  assert.not.match(field({ enum: ['a'], default: 'a' }, { required: true }), /<option value=""/);
});

test('declarations and values are text, never markup', () => {
  const evil = '<img src=x onerror=alert(1)>';
  const out = field({ type: 'string', description: evil, pattern: `^${evil}$`, enum: [evil] }, { value: `"${evil}` });
  assert.not.match(out, /<img/);
  assert.match(out, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.not.match(field({ type: 'string' }, { value: '"><script>' }), /"><script>/);
});

test('types and values in words', () => {
  assert.is(describeType('en', { type: 'string', pattern: '^[a-z]+$', format: 'id', default: 'main' }), 'text · matching /^[a-z]+$/ · format id · default main');
  assert.is(describeType('ko', { type: 'number', enum: [1, 2] }), '숫자 · 1, 2 중 하나');
  assert.equal([showValue('en', true), showValue('ko', false), showValue('en', ''), showValue('en', 3)], ['yes', '아니요', '(none)', '3']);
});

test.run();
