// The readers that place test failures in a plugin's files, on output as the tools print it:
// only the plugin's own frames count (not the standard library, site-packages or node_modules),
// the innermost one wins, and what a run can produce stays bounded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { junitFailures } from '../../src/steps/plugin-test/junit.ts';
import { failureReader, maxProblems } from '../../src/steps/plugin-test/tracebacks.ts';

const at = { root: '/ws/plugins/p', workspace: '/ws' };
const read = (text: string) => {
  const r = failureReader(at);
  for (const l of text.split('\n')) r.line(l);
  return r.problems();
};

test('a traceback through the standard library and site-packages points at the plugin\'s innermost frame', () => {
  const ps = read(`ERROR: test_load (test_x.T.test_load)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/usr/lib/python3.11/unittest/case.py", line 57, in testPartExecutor
    yield
  File "/ws/plugins/p/tests/test_x.py", line 9, in test_load
    load("x")
  File "backend/loader.py", line 21, in load
    json.loads(text)
  File "/ws/plugins/p/.venv/lib/python3.11/site-packages/simplejson/__init__.py", line 5, in loads
    raise ValueError("bad")
ValueError: bad
`);
  assert.equal(ps, [{ file: 'plugins/p/backend/loader.py', line: 21, message: 'test_load (test_x.T.test_load): ValueError: bad', title: 'test error' }]);
});

test('a traceback with no frame in the plugin is not placed; a chained one is placed once per traceback', () => {
  assert.equal(read('Traceback (most recent call last):\n  File "/usr/lib/python3.11/json/decoder.py", line 3, in x\n    y\nValueError: z\n'), []);
  const chained = read(`Traceback (most recent call last):
  File "/ws/plugins/p/a.py", line 2, in f
    d["k"]
KeyError: 'k'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/ws/plugins/p/a.py", line 4, in f
    raise RuntimeError("no k")
RuntimeError: no k
`);
  assert.equal(chained.map((p) => [p.line, p.message]), [[2, "KeyError: 'k'"], [4, 'RuntimeError: no k']]);
});

test('a syntax error met on import is placed at its line', () => {
  const ps = read(`Traceback (most recent call last):
  File "/ws/plugins/p/tests/test_x.py", line 6, in <module>
    from plugin import greet
  File "/ws/plugins/p/backend/plugin.py", line 6
    return f"hello, {name}"(
                           ^
SyntaxError: '(' was never closed`);
  assert.equal(ps.map((p) => `${p.file}:${p.line} ${p.message}`), ["plugins/p/backend/plugin.py:6 SyntaxError: '(' was never closed"]);
});

test('pytest\'s long report: the E line is the message, the innermost plugin location the place; a collection error too', () => {
  const ps = read(`________________________ test_total ________________________

    def test_total():
>       assert total([1, 2]) == 4
E       assert 3 == 4
E        +  where 3 = total([1, 2])

tests/test_sum.py:4: AssertionError
________________ ERROR collecting tests/test_imp.py ________________
tests/test_imp.py:1: in <module>
    import plugin
E     File "/ws/plugins/p/plugin.py", line 3
E       def f(:
E             ^
E   SyntaxError: invalid syntax
=========================== short test summary info ============================
FAILED tests/test_sum.py::test_total - assert 3 == 4`);
  assert.equal(ps.map((p) => `${p.file}:${p.line} ${p.message}`), [
    'plugins/p/tests/test_sum.py:4 test_total: assert 3 == 4',
    'plugins/p/plugin.py:3 ERROR collecting tests/test_imp.py: SyntaxError: invalid syntax',
  ]);
});

test('a run that fails everywhere keeps at most the cap', () => {
  const many = Array.from({ length: 500 }, (_, i) => `Traceback (most recent call last):\n  File "/ws/plugins/p/t.py", line ${i + 1}, in f\n    x\nError: ${i}`).join('\n');
  assert.is(read(many).length, maxProblems);
});

test('JUnit: a failed case at its report\'s innermost plugin frame, else at its file/line attributes; escapes decoded; passing cases ignored', () => {
  const xml = `<?xml version="1.0"?>
<testsuites><testsuite name="s">
  <testcase name="passes" classname="t" file="tests/test_a.py" line="3"/>
  <testcase name="a &lt;b&gt; &amp; &quot;c&quot;" classname="t" file="tests/test_a.py" line="8">
    <failure message="expected &apos;x&apos;">tests/test_a.py:12: AssertionError</failure>
  </testcase>
  <testcase name="by attribute" classname="t" file="tests/test_b.py" line="20"><error message="boom"/></testcase>
  <testcase name="js" classname="test"><failure type="testCodeFailure" message="nope"><![CDATA[Error: nope
    at TestContext.<anonymous> (/ws/plugins/p/test/a.test.js:6:37)
    at Test.run (node:internal/test_runner/test:796:25)]]></failure></testcase>
  <testcase name="outside" classname="t" file="/usr/lib/x.py" line="1"><failure message="m"/></testcase>
</testsuite></testsuites>`;
  assert.equal(junitFailures(xml, at), [
    { file: 'plugins/p/tests/test_a.py', line: 12, message: 'a <b> & "c": expected \'x\'', title: 'test failed' },
    { file: 'plugins/p/tests/test_b.py', line: 20, message: 'by attribute: boom', title: 'test error' },
    { file: 'plugins/p/test/a.test.js', line: 6, col: 37, message: 'js: nope', title: 'test failed' },
  ]);
});

test.run();
