// Cyclomatic complexity of Python (python3's ast) and JavaScript (acorn) functions, table-driven:
// each snippet with the complexity of every function in it; then the failures that leave files
// unmeasured without throwing: a syntax error, python3 absent or too slow, a file too large.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureJavaScript } from '../../src/risk/change/javascript.ts';
import { maxFiles } from '../../src/risk/change/limits.ts';
import type { Measured, SourceFile } from '../../src/risk/change/measure.ts';
import { measurePython } from '../../src/risk/change/python.ts';

interface Case { name: string; source: string; expected: Record<string, number> }

const python: Case[] = [
  { name: 'straight-line code', source: 'def f(a):\n    b = a + 1\n    return b\n', expected: { f: 1 } },
  { name: 'if / elif / else', source: 'def f(a):\n    if a > 1:\n        return 1\n    elif a < 0:\n        return 2\n    else:\n        return 3\n', expected: { f: 3 } },
  { name: 'for, async for and while loops', source: 'async def f(xs):\n    for x in xs:\n        pass\n    async for y in xs:\n        pass\n    while xs:\n        xs.pop()\n', expected: { f: 4 } },
  { name: 'and / or: each extra operand', source: 'def f(a, b, c, d):\n    return a and b and c or d\n', expected: { f: 4 } },
  { name: 'try with two except clauses (finally, with and assert add nothing)', source: 'def f():\n    try:\n        with open("x") as h:\n            assert h\n    except ValueError:\n        pass\n    except Exception:\n        pass\n    finally:\n        pass\n', expected: { f: 3 } },
  { name: 'a conditional expression', source: 'def f(a):\n    return 1 if a else 2\n', expected: { f: 2 } },
  { name: 'comprehensions: each if, not the for', source: 'def f(xs):\n    a = [x for x in xs if x if x > 1]\n    b = {x: 1 for x in xs for y in x if y}\n    return a, b\n', expected: { f: 4 } },
  { name: 'match cases', source: 'def f(v):\n    match v:\n        case 1:\n            return "a"\n        case [x, y]:\n            return "b"\n        case _:\n            return "c"\n', expected: { f: 4 } },
  { name: 'nested functions count for themselves only', source: 'def outer(a):\n    if a:\n        pass\n    def inner(b):\n        if b:\n            pass\n        while b:\n            pass\n    return inner\n', expected: { outer: 2, 'outer.inner': 3 } },
  { name: 'class methods are Class.method, nested classes too', source: 'class A:\n    def m(self, x):\n        return x or 1\n    class B:\n        async def n(self):\n            pass\n', expected: { 'A.m': 2, 'A.B.n': 1 } },
  { name: 'a lambda counts for the function it is in', source: 'def f(xs):\n    return sorted(xs, key=lambda x: 0 if x else 1)\n', expected: { f: 2 } },
  { name: 'module-level code belongs to no function', source: 'if True:\n    x = [a for a in range(3) if a]\n', expected: {} },
];

const javascript: Case[] = [
  { name: 'straight-line code', source: 'function f(a) {\n  const b = a + 1;\n  return b;\n}\n', expected: { f: 1 } },
  { name: 'if / else if / else', source: 'function f(a) {\n  if (a > 1) return 1;\n  else if (a < 0) return 2;\n  else return 3;\n}\n', expected: { f: 3 } },
  { name: 'every loop', source: 'function f(o) {\n  for (let i = 0; i < 1; i++) {}\n  for (const k in o) {}\n  for (const v of o) {}\n  while (o) {}\n  do {} while (o);\n}\n', expected: { f: 6 } },
  { name: '&&, || and ??, and their assignments', source: 'function f(a, b, c) {\n  a ||= b;\n  c ??= 1;\n  return (a && b || c) ?? 0;\n}\n', expected: { f: 6 } },
  { name: 'optional chaining adds nothing', source: 'function f(a) {\n  return a?.b?.c?.();\n}\n', expected: { f: 1 } },
  { name: 'switch: each case with a test, not default', source: 'function f(x) {\n  switch (x) {\n    case 1: return 1;\n    case 2:\n    case 3: return 2;\n    default: return 0;\n  }\n}\n', expected: { f: 4 } },
  { name: 'try / catch / finally and a conditional expression', source: 'function f(a) {\n  try { return a ? 1 : 2; } catch (e) { return 0; } finally { a = 1; }\n}\n', expected: { f: 3 } },
  { name: 'arrow functions take the variable name', source: 'const f = (a) => a ? 1 : 2;\nconst g = async (b) => {\n  if (b) return 1;\n};\n', expected: { f: 2, g: 2 } },
  { name: 'nested functions count for themselves only', source: 'function outer(a) {\n  if (a) {}\n  return function inner(b) { return b && a; };\n}\n', expected: { outer: 2, 'outer.inner': 2 } },
  { name: 'class methods are Class.method', source: 'class K {\n  constructor(a) { this.a = a || 1; }\n  static make() {}\n  get v() { return this.a ? 1 : 0; }\n  #hidden() {}\n  field = () => {};\n}\n', expected: { 'K.constructor': 2, 'K.make': 1, 'K.v': 2, 'K.#hidden': 1, 'K.field': 1 } },
  { name: 'object methods and function values take their key', source: "const api = {\n  get(a) { return a || 0; },\n  'put': function () {},\n  del: (x) => x,\n  [Symbol.iterator]() {},\n};\n", expected: { get: 2, put: 1, del: 1, '<computed>': 1 } },
  { name: 'anonymous callbacks, named after where they are', source: 'function run(xs) {\n  return xs.map((x) => x ? 1 : 0);\n}\nsetTimeout(function () {}, 1);\n', expected: { run: 1, 'run.<anonymous>': 2, '<anonymous>': 1 } },
  { name: 'an assignment names the function', source: 'module.exports.handler = function (e) {\n  if (e) {}\n};\nexports.other = () => {};\n', expected: { handler: 2, other: 1 } },
  { name: 'a CommonJS script with a top-level return and a hashbang', source: '#!/usr/bin/env node\nif (!module.parent) return;\nwith (Math) { function f() { return max(1, 2) || 0; } }\n', expected: { f: 2 } },
];

const byName = (m: Measured) => Object.fromEntries(m.functions.map((f) => [f.name, f.complexity]));

// One python3 process for the whole table, as for a change; each case reads its own file.
const pythonTable = measurePython(python.map((c, i) => ({ file: `case${i}.py`, text: c.source })));
python.forEach((c, i) => {
  test(`python: ${c.name}`, async () => {
    const all = await pythonTable;
    const measured = { functions: all.functions.filter((f) => f.file === `case${i}.py`), unmeasured: all.unmeasured };

    assert.equal(measured.unmeasured, []);
    assert.equal(byName(measured), c.expected);
  });
});

for (const c of javascript) {
  test(`javascript: ${c.name}`, () => {
    const measured = measureJavaScript([{ file: 'a.js', text: c.source }]);

    assert.equal(measured.unmeasured, []);
    assert.equal(byName(measured), c.expected);
  });
}

test('functions carry their file, lines and language', async () => {
  const py = await measurePython([{ file: 'p/a.py', text: '\n\ndef f():\n    pass\n' }]);
  const js = measureJavaScript([{ file: 'p/a.mjs', text: '\nexport default function () {\n  return 1;\n}\n' }]);

  assert.equal(py.functions, [{ file: 'p/a.py', name: 'f', line: 3, endLine: 4, complexity: 1, language: 'python' }]);
  assert.equal(js.functions, [{ file: 'p/a.mjs', name: '<anonymous>', line: 2, endLine: 4, complexity: 1, language: 'javascript' }]);
});

const ranged = (text: string, changed: SourceFile['changed']): SourceFile[] => [{ file: 'a', text, changed }];
const twoFunctions = { py: 'def f():\n    pass\n\n\ndef g():\n    pass\n', js: 'function f() {\n}\n\n\nfunction g() {\n}\n' };
const touchCases: Array<{ name: string; changed: SourceFile['changed']; expected: string[] }> = [
  { name: 'a changed line in the second function', changed: [{ start: 6, end: 6 }], expected: ['g'] },
  { name: 'a range across both', changed: [{ start: 2, end: 5 }], expected: ['f', 'g'] },
  { name: 'only blank lines between them', changed: [{ start: 3, end: 4 }], expected: [] },
  { name: 'a deletion inside the first (after line 1)', changed: [{ start: 2, end: 1 }], expected: ['f'] },
  { name: 'a deletion between them (after line 3)', changed: [{ start: 4, end: 3 }], expected: [] },
  { name: 'no changed lines', changed: [], expected: [] },
];
for (const c of touchCases) {
  test(`only touched functions are kept: ${c.name}`, async () => {
    const py = await measurePython(ranged(twoFunctions.py, c.changed));
    const js = measureJavaScript(ranged(twoFunctions.js, c.changed));

    assert.equal(py.functions.map((f) => f.name).sort(), c.expected);
    assert.equal(js.functions.map((f) => f.name).sort(), c.expected);
  });
}

test('a syntax error in one file leaves the others measured, with the line in the reason', async () => {
  const py = await measurePython([{ file: 'a.py', text: 'def f():\n    pass\n' }, { file: 'b.py', text: 'x = 1\ndef g(:\n' }, { file: 'c.py', text: 'def h(): return 1\n' }]);
  const js = measureJavaScript([{ file: 'a.js', text: 'function f() {}\n' }, { file: 'b.js', text: 'x = 1;\nlet = = 2;\n' }]);

  assert.equal(py.functions.map((f) => f.name), ['f', 'h']);
  assert.equal(py.unmeasured, [{ file: 'b.py', reason: 'syntax error at line 2: invalid syntax' }]);
  assert.equal(js.functions.map((f) => f.name), ['f']);
  assert.is(js.unmeasured.length, 1);
  assert.match(js.unmeasured[0]!.reason, /^syntax error at line 2: /);
});

test('python3 absent: every Python file is unmeasured with the reason, nothing thrown', async () => {
  const measured = await measurePython([{ file: 'a.py', text: 'def f(): pass\n' }, { file: 'b.py', text: 'def g(): pass\n' }], { python: '/nonexistent/python3' });

  assert.equal(measured.functions, []);
  assert.equal(measured.unmeasured.map((u) => u.file), ['a.py', 'b.py']);
  assert.match(measured.unmeasured[0]!.reason, '/nonexistent/python3 was not found');
});

test('python3 that runs out of time is stopped, and its files are unmeasured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-python-'));
  const slow = join(dir, 'python3');
  writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n');
  chmodSync(slow, 0o755);
  const started = Date.now();

  const measured = await measurePython([{ file: 'a.py', text: 'def f(): pass\n' }], { python: slow, timeoutMs: 300 });

  assert.ok(Date.now() - started < 5000);
  assert.equal(measured.unmeasured.map((u) => u.file), ['a.py']);
  assert.match(measured.unmeasured[0]!.reason, 'did not finish within 0.3 s');
});

test('python3 that fails is reported with what it said', async () => {
  const measured = await measurePython([{ file: 'a.py', text: 'def f(): pass\n' }], { python: '/bin/false' });

  assert.equal(measured.unmeasured.map((u) => u.file), ['a.py']);
  assert.match(measured.unmeasured[0]!.reason, '/bin/false failed (exit 1)');
});

test('a file over 1 MiB is not parsed; past the file limit the rest are not either', async () => {
  const big = `// ${'x'.repeat(1024 * 1024)}\nfunction f() {}\n`;
  const many = Array.from({ length: maxFiles + 2 }, (_, i) => ({ file: `f${i}.js`, text: `function f${i}() {}\n` }));

  const large = measureJavaScript([{ file: 'big.js', text: big }]);
  const largePy = await measurePython([{ file: 'big.py', text: `# ${'x'.repeat(1024 * 1024)}\n` }]);
  const counted = measureJavaScript(many);

  assert.match(large.unmeasured[0]!.reason, 'too large');
  assert.match(largePy.unmeasured[0]!.reason, 'too large');
  assert.is(counted.functions.length, maxFiles);
  assert.equal(counted.unmeasured.map((u) => u.file), [`f${maxFiles}.js`, `f${maxFiles + 1}.js`]);
});

test('deeply nested code is unmeasured, not a crash', async () => {
  const deep = `function f() { return ${'('.repeat(20000)}1${')'.repeat(20000)}; }\n`;
  const deepPy = `def f():\n    return ${'('.repeat(20000)}1${')'.repeat(20000)}\n`;

  const js = measureJavaScript([{ file: 'a.js', text: deep }]);
  const py = await measurePython([{ file: 'a.py', text: deepPy }]);

  assert.is(js.functions.length + js.unmeasured.length, 1);
  assert.is(py.functions.length + py.unmeasured.length, 1);
});

test.run();
