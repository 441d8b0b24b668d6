// Bundles the CLI into one ESM file, dist/cli.js, which bin/pluginops.js runs. `--check`
// builds in memory and fails when the committed bundle differs (a stale dist/).
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundles = [
  { entry: 'src/cli/index.ts', out: 'dist/cli.js' },
  { entry: 'src/action/index.ts', out: 'dist/index.js' },
  // The worker thread `serve` parses API document bodies in (src/serve/offload.ts).
  { entry: 'src/serve/parse-worker.ts', out: 'dist/parse-worker.js' },
];

export async function bundle(entry) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false,
    // pg's optional native binding is never used (pg.native is not read).
    external: ['pg-native'],
    absWorkingDir: root, legalComments: 'none', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true,
    // CommonJS dependencies call require() at run time; ESM has none, so define it.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return result.outputFiles[0].text;
}

const check = process.argv.includes('--check');
let stale = 0;
for (const { entry, out } of bundles) {
  const text = await bundle(entry);
  const path = join(root, out);
  if (check) {
    let current = '';
    try { current = readFileSync(path, 'utf8'); } catch { /* missing */ }
    if (current !== text) { console.error(`${out} is stale: run npm run build and commit it`); stale++; }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    console.log(`${out} ${(text.length / 1024).toFixed(0)} KiB`);
  }
}
// The dashboard's static files (src/ui/assets/), which the bundle reads from dist/ui/assets/.
const assetsFrom = join(root, 'src/ui/assets'), assetsTo = join(root, 'dist/ui/assets');
const wanted = readdirSync(assetsFrom).sort();
let present = [];
try { present = readdirSync(assetsTo).sort(); } catch { /* none yet */ }
if (check) {
  for (const name of new Set([...wanted, ...present])) {
    let a = '', b = '';
    try { a = readFileSync(join(assetsFrom, name), 'utf8'); } catch { /* removed */ }
    try { b = readFileSync(join(assetsTo, name), 'utf8'); } catch { /* missing */ }
    if (a !== b) { console.error(`dist/ui/assets/${name} is stale: run npm run build and commit it`); stale++; }
  }
} else {
  rmSync(assetsTo, { recursive: true, force: true });
  mkdirSync(assetsTo, { recursive: true });
  for (const name of wanted) writeFileSync(join(assetsTo, name), readFileSync(join(assetsFrom, name)));
  console.log(`dist/ui/assets: ${wanted.length} files`);
}
process.exitCode = stale ? 1 : 0;
