// src/retry/ is a leaf of the layering: it imports nothing from the rest of src/ (time, the
// clock and randomness reach it as parameters), so every layer above may use it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const dir = join(import.meta.dirname, '..', '..', 'src', 'retry');

test('src/retry imports only its own files and node built-ins', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 2, `found ${files.join(', ')}`);
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const sources = [...text.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2] ?? '');
    for (const s of sources) assert.ok(/^\.\/[^/]+$/.test(s) || s.startsWith('node:'), `${f} imports ${s}`);
  }
});

test.run();
