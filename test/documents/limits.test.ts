// What one document may cost: size, nesting depth and node count are checked by a linear
// pre-scan before the YAML library sees the text, each refusal a located, coded diagnostic; what
// cannot nest (strings, comments, block scalars, plain text) is not counted.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadDocuments, loadText } from '../../src/documents/load.ts';
import { defaultLimits } from '../../src/documents/limits.ts';
import { prescan } from '../../src/documents/prescan.ts';
import { assertDiagnostics, tempTree, yaml } from './helpers.ts';
import { brackets, manyKeys } from '../hardening-parse/hostile-bodies.ts';

const MiB = 1024 * 1024;
const workflow = (...steps: string[]) => yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps:', ...steps);

test('1 MiB of `[` is E_TOO_DEEP at line 1, column 65, found before the YAML library runs out of memory', () => {
  const { diagnostics } = loadText('doc.yml', brackets(MiB), registry);

  assertDiagnostics(diagnostics, [{ line: 1, col: 65, code: 'E_TOO_DEEP', message: 'nesting deeper than 64 levels' }]);
});

test('block nesting past the limit is E_TOO_DEEP on the line that goes too deep', () => {
  const lines = Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`);

  const { diagnostics } = loadText('doc.yml', yaml(...lines), registry);

  assert.equal(diagnostics.map((d) => d.code), ['E_TOO_DEEP']);
  assert.ok(diagnostics[0]!.line > 30 && diagnostics[0]!.line <= 65, `reported on line ${diagnostics[0]!.line}`);
});

test('nesting within the limit is parsed as usual', () => {
  const lines = Array.from({ length: 25 }, (_, i) => `${' '.repeat(2 * i)}k${i}:`);

  const { diagnostics } = loadText('doc.yml', yaml(...lines, `${' '.repeat(50)}x: [[[[[[[[1]]]]]]]]`), registry);

  assert.not.ok(diagnostics.some((d) => d.code === 'E_TOO_DEEP'), diagnostics.map((d) => d.message).join('; '));
});

test('brackets in block scalars, quoted strings, comments and plain text do not count as nesting', () => {
  const many = '['.repeat(200);
  const text = workflow(
    '    - id: build',
    `      run: echo ${many}`,
    `      name: "${many}"`,
    '    - id: script',
    '      run: |',
    `        echo '${many}'`,
    `        ${many}`,
    `      env: { A: '${many}' }   # ${many}`,
  );

  const { diagnostics } = loadText('doc.yml', text, registry);

  assert.equal(diagnostics, []);
});

test('56k keys in 1 MiB are E_TOO_MANY_NODES where the count passes the limit', () => {
  const text = manyKeys(56_000, MiB);

  const { diagnostics } = loadText('doc.yml', text, registry);

  assertDiagnostics(diagnostics, [{ line: defaultLimits.maxNodes + 1, col: 9, code: 'E_TOO_MANY_NODES', message: `more than ${defaultLimits.maxNodes} keys and items` }]);
});

test('a text larger than the limit is E_TOO_LARGE at 1:1; the limit is configurable', () => {
  const text = `a: "${'x'.repeat(MiB)}"\n`;

  assertDiagnostics(loadText('doc.yml', text, registry).diagnostics, [{ line: 1, col: 1, code: 'E_TOO_LARGE', message: 'expected at most 1 MiB' }]);
  assert.not.ok(loadText('doc.yml', text, registry, { maxBytes: 2 * MiB }).diagnostics.some((d) => d.code === 'E_TOO_LARGE'));
  assertDiagnostics(loadText('doc.yml', workflow('    - id: a', '      run: make'), registry, { maxBytes: 64 }).diagnostics, [{ line: 1, col: 1, code: 'E_TOO_LARGE', message: 'expected at most 64 bytes' }]);
});

test('a file larger than the limit is E_TOO_LARGE, and the files beside it still load', async () => {
  const dir = tempTree({ 'big.yml': brackets(5 * MiB), 'ok.yml': workflow('    - id: a', '      run: make') });

  const { set, diagnostics } = await loadDocuments([dir], dir, { registry });

  assertDiagnostics(diagnostics, [{ file: 'big.yml', line: 1, col: 1, code: 'E_TOO_LARGE', message: `the file is ${5 * MiB} bytes; expected at most 1 MiB` }]);
  assert.ok(set.Workflow.has('deploy'));
});

test('limits from the options apply to files', async () => {
  const dir = tempTree({ 'deep.yml': `a: ${brackets(10)}${']'.repeat(10)}\n` });

  const { diagnostics } = await loadDocuments([join(dir, 'deep.yml')], dir, { registry, limits: { maxDepth: 8 } });

  assertDiagnostics(diagnostics, [{ line: 1, col: 11, code: 'E_TOO_DEEP', message: 'nesting deeper than 8 levels' }]);
});

/** A deterministic random nesting of maps and lists, with scalars that hold YAML's special characters. */
function randomValue(seed: number, depth: number): unknown {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const scalars = ['a [b', "it's", '#x', 'x: y', '{', ']', '- z', '|', 'plain', 42, true, 'say "hi"', 'a\nb [c'];
  const build = (d: number): unknown => {
    if (d === 0) return scalars[Math.floor(next() * scalars.length)];
    const width = 1 + Math.floor(next() * 3);
    const child = () => build(next() < 0.2 ? 0 : d - 1);
    if (next() < 0.5) return Array.from({ length: width }, child);
    return Object.fromEntries(Array.from({ length: width }, (_, i) => [`k${i}`, child()]));
  };
  return build(depth);
}

/** Depth of a value as the YAML library built it: collections and the scalar leaf. */
const depthOf = (v: unknown): number => v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 1;

test('the pre-scan never counts less nesting than the document has, in block, flow and mixed styles', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const value = randomValue(seed, 4 + (seed % 12));
    const depth = depthOf(value) - 1; // collections only
    for (const collectionStyle of ['block', 'flow', 'any'] as const) {
      const text = stringify(value, { collectionStyle });
      assert.ok(prescan(text, { maxDepth: depth - 1, maxNodes: 1e9 }), `seed ${seed}, ${collectionStyle}: ${depth} levels passed a limit of ${depth - 1}:\n${text}`);
      assert.equal(prescan(text, { maxDepth: 2 * depth + 2, maxNodes: 1e9 }), undefined, `seed ${seed}, ${collectionStyle}: counted more than twice the ${depth} levels:\n${text}`);
    }
  }
});

test('every YAML file of the repository passes the pre-scan with the default limits', async () => {
  const { execSync } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const files = execSync("git ls-files '*.yml' '*.yaml'", { encoding: 'utf8' }).trim().split('\n');

  const refused = files.filter((f) => prescan(readFileSync(f, 'utf8'), defaultLimits) !== undefined);

  assert.ok(files.length > 10);
  assert.equal(refused, []);
});

test('what the pre-scan skips as text ends where the YAML library ends it: a document marker after a block scalar or an open quote, a line not indented past a quote\'s owner', () => {
  const deep = '['.repeat(200);
  const many = `[${'1,'.repeat(60_000)}1]`;
  const cases: Array<[string, string]> = [
    [`--- |\ntext\n---\na: ${deep}\n`, 'E_TOO_DEEP'],
    [`a: "x\n---\nb: ${deep}\n`, 'E_TOO_DEEP'],
    [`a:\n  b: "x\nc: ${deep}\n`, 'E_TOO_DEEP'],
    [`a: 'x\n---\nb: ${many}\n`, 'E_TOO_MANY_NODES'],
    [`--- >\ntext\n...\n--- \na: ${many}\n`, 'E_TOO_MANY_NODES'],
  ];
  for (const [text, code] of cases) assert.is(prescan(text, defaultLimits)?.code, code, text.slice(0, 40));
  // A quoted value that goes on over lines indented past its key is still one scalar.
  assert.is(prescan('a:\n  b: "one\n    two [[[[\n    three"\n', { maxDepth: 3, maxNodes: 100 }), undefined);
});

test.run();

