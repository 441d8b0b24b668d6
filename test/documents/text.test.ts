// Documents are text: a NUL byte, another control character or bytes that are not UTF-8 are a
// located, coded diagnostic at the first bad byte, never silently dropped or replaced. Duplicate
// keys are found in linear time and reported where the repeat is.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDocuments, loadText } from '../../src/documents/load.ts';
import { decodeText, firstInvalidUtf8 } from '../../src/documents/text.ts';
import { assertDiagnostics, tempTree, yaml } from './helpers.ts';
import { manyKeys } from '../hardening-parse/hostile-bodies.ts';

const workflow = (run: string) => yaml('apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:', '  steps:', '    - id: a', `      run: ${run}`);

test('a raw NUL byte is E_CONTROL_CHARACTER at its line and column, in a file and in a text', async () => {
  const dir = tempTree({});
  writeFileSync(join(dir, 'nul.yml'), workflow('echo a\0b'));

  const fromFile = await loadDocuments([dir], dir, { registry });
  const fromText = loadText('nul.yml', workflow('echo a\0b'), registry);

  for (const { diagnostics, set } of [fromFile, fromText]) {
    assertDiagnostics(diagnostics, [{ file: 'nul.yml', line: 8, col: 18, code: 'E_CONTROL_CHARACTER', message: 'U+0000 (NUL)' }]);
    assert.is(set.Workflow.size, 0, 'nothing is loaded from the file');
  }
});

const controls: Array<[string, string]> = [['ESC', '\x1b'], ['DEL', '\x7f'], ['a C1 control', '\x85'.replace('\x85', '\x9b')], ['U+FFFE', '\ufffe'], ['BS', '\b']];
for (const [name, c] of controls) {
  test(`${name} is E_CONTROL_CHARACTER`, () => {
    assert.equal(loadText('d.yml', workflow(`echo ${c}`), registry).diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), ['8:17 E_CONTROL_CHARACTER']);
  });
}

test('tabs, CRLF line ends, a BOM and NEL (U+0085) are text', () => {
  const text = '\ufeff' + workflow('echo "a\tb\x85"').replace(/\n/g, '\r\n');

  assert.equal(loadText('d.yml', text, registry).diagnostics, []);
});

test('bytes that are not UTF-8 are E_ENCODING at the first bad byte, with the bytes shown', async () => {
  const dir = tempTree({});
  const bytes = Buffer.concat([Buffer.from(workflow('echo héllo').slice(0, -3)), Buffer.from([0xc3, 0x28]), Buffer.from('x\n')]);
  writeFileSync(join(dir, 'latin.yml'), bytes);

  const { diagnostics, set } = await loadDocuments([dir], dir, { registry });

  assertDiagnostics(diagnostics, [{ file: 'latin.yml', line: 8, col: 20, code: 'E_ENCODING', message: '(C3 28' }]);
  assert.is(set.Workflow.size, 0);
});

const invalid: Array<[string, number[], number]> = [
  ['a lone continuation byte', [0x61, 0x80], 1],
  ['an overlong encoding', [0xc0, 0xaf], 0],
  ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1],
  ['a truncated sequence at the end', [0x61, 0x62, 0xe2, 0x82], 2],
  ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
];
for (const [name, bytes, at] of invalid) {
  test(`${name} is found at byte ${at}`, () => {
    assert.is(firstInvalidUtf8(Uint8Array.from(bytes)), at);
    assert.ok('problem' in decodeText('f.yml', Uint8Array.from(bytes)));
  });
}

test('well-formed UTF-8 of every length decodes unchanged', () => {
  const text = 'a é € 𝄞\n';
  const decoded = decodeText('f.yml', Buffer.from(text));

  assert.equal(decoded, { text });
  assert.is(firstInvalidUtf8(Buffer.from(text)), Buffer.byteLength(text));
});

test('a duplicate key is reported at the repeat, naming the line of the first', () => {
  const { diagnostics } = loadText('d.yml', yaml('a: 1', 'b:', '  c: 1', '  d: 2', '  c: 3', 'a: 4'), registry);

  assertDiagnostics(diagnostics, [
    { line: 5, col: 3, code: 'E_YAML_SYNTAX', message: 'Map keys must be unique: `c` is already a key of this map at line 3' },
    { line: 6, col: 1, code: 'E_YAML_SYNTAX', message: 'Map keys must be unique: `a` is already a key of this map at line 1' },
  ]);
});

test('keys that differ in type are not duplicates (1 and "1"), keys that differ only in quoting are', () => {
  const syntax = (text: string) => loadText('d.yml', text, registry).diagnostics.filter((d) => d.code === 'E_YAML_SYNTAX').map((d) => d.line);
  assert.equal(syntax(yaml('1: a', '"1": b')), []);
  assert.equal(syntax(yaml('a: 1', '"a": 2')), [2]);
});

/** Seconds to load `keys` distinct keys (best of two), with the node limit out of the way. */
function loadSeconds(keys: number): number {
  const text = manyKeys(keys);
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    loadText('d.yml', text, registry, { maxNodes: 1_000_000, maxBytes: 16 * 1024 * 1024 });
    best = Math.min(best, performance.now() - t0);
  }
  return best / 1000;
}

test('the duplicate-key check is linear: four times the keys take about four times as long, not sixteen', () => {
  loadSeconds(2_000); // warm up
  const small = loadSeconds(8_000);
  const large = loadSeconds(32_000);

  assert.ok(large / small < 9, `8k keys: ${small.toFixed(2)} s, 32k keys: ${large.toFixed(2)} s (ratio ${(large / small).toFixed(1)})`);
});

test.run();
