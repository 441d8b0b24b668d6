// A plugin manifest is read like any document: bounded in size (a link to /dev/zero is refused
// at once, not read until memory runs out) and checked to be UTF-8 text, with located errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../../src/plugins/manifest.ts';

const plugin = () => {
  const root = mkdtempSync(join(tmpdir(), 'pluginops-manifest-'));
  mkdirSync(join(root, 'config'));
  return root;
};

test('a manifest that links to /dev/zero is refused as E_TOO_LARGE, quickly and without growing', async () => {
  const root = plugin();
  symlinkSync('/dev/zero', join(root, 'config', 'plugin.json'));
  const before = process.memoryUsage().rss;
  const t0 = Date.now();
  const loaded = await loadManifest(root, root);
  assert.ok(Date.now() - t0 < 5_000);
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'read at most the limit');
  assert.equal(loaded.diagnostics.map((d) => [d.code, d.line, d.col]), [['E_TOO_LARGE', 1, 1]]);
  assert.is(loaded.manifest, undefined);
});

test('a manifest with bytes that are not UTF-8 is E_ENCODING at the byte, not read with replacement characters', async () => {
  const root = plugin();
  writeFileSync(join(root, 'config', 'plugin.json'), Buffer.concat([Buffer.from('{\n  "id": "hello",\n  "name": "'), Buffer.from([0xff, 0xfe]), Buffer.from('Hello"\n}\n')]));
  const loaded = await loadManifest(root, root);
  assert.equal(loaded.diagnostics.map((d) => [d.code, d.line]), [['E_ENCODING', 3]]);
  assert.is(loaded.manifest, undefined);
});

test.run();
