import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module without type declarations
import { checkLayers, layers } from '../../scripts/layers.mjs';

type Violation = { file: string; line: number; from: string; to: string; message: string };
const check = checkLayers as (src: string) => Violation[];
const repo = process.cwd();

function copyOfSrc(): { dir: string; src: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-layers-'));
  cpSync(join(repo, 'src'), join(dir, 'src'), { recursive: true });
  return { dir, src: join(dir, 'src') };
}

test('every import under src/ runs down the layers, so the folder graph has no cycle', () => {
  assert.equal(check(join(repo, 'src')), []);
});

test('an import up a layer is reported at its file and line', () => {
  const { dir, src } = copyOfSrc();
  try {
    const before = new Set(check(src).map((v) => `${v.file}:${v.line}`));
    appendFileSync(join(src, 'engine', 'plan.ts'), "\nimport type { ApiDeps } from '../api/deps.ts';\n");
    const found = check(src).filter((v) => !before.has(`${v.file}:${v.line}`));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.file, 'src/engine/plan.ts');
    assert.equal([found[0]!.from, found[0]!.to], ['engine', 'api']);
    assert.match(found[0]!.message, /engine\/ imports api\/ \(a higher layer\); engine\/ may import only from: errors, store, expressions, retry, documents$/);
    const cli = spawnSync(process.execPath, [join(repo, 'scripts', 'layers.mjs'), src], { encoding: 'utf8' });
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, new RegExp(`^src/engine/plan\\.ts:${found[0]!.line}: engine/ imports api/`, 'm'));
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('sideways imports, dynamic imports, re-exports and unlisted folders are violations too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-layers-'));
  try {
    const src = join(dir, 'src');
    const file = (path: string, text: string) => { mkdirSync(join(src, path, '..'), { recursive: true }); writeFileSync(join(src, path), text); };
    file('plugins/a.ts', "import { b } from '../notify/b.ts';\n");
    file('notify/b.ts', "export const b = 1;\nexport { c } from '../steps/c.ts';\n");
    file('steps/c.ts', "export const c = 1;\nexport const d = () => import('../cli/d.ts');\n");
    file('cli/d.ts', "import { c } from '../steps/c.ts';\nimport { e } from '../gadgets/e.ts';\n");
    file('gadgets/e.ts', 'export const e = 1;\n');
    const found = check(src).map((v) => `${v.file}:${v.line} ${v.from}->${v.to}`).sort();
    assert.equal(found, [
      'src/cli/d.ts:2 cli->gadgets',
      'src/gadgets/e.ts:1 gadgets->',
      'src/notify/b.ts:2 notify->steps',
      'src/plugins/a.ts:1 plugins->notify',
      'src/steps/c.ts:2 steps->cli',
    ]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the step registry is reserved: a layer above steps/ that reaches for it instead of taking it as a parameter is reported', () => {
  const { dir, src } = copyOfSrc();
  try {
    const before = new Set(check(src).map((v) => `${v.file}:${v.line}`));
    appendFileSync(join(src, 'runs', 'service.ts'), "\nimport { stepRegistry } from '../steps/registry.ts';\n");
    appendFileSync(join(src, 'api', 'deps.ts'), "\nimport { registry } from '../wiring/registry.ts';\n");
    const found = check(src).filter((v) => !before.has(`${v.file}:${v.line}`)).map((v) => `${v.file} ${v.message}`).sort();
    assert.equal(found, [
      'src/api/deps.ts api/ imports wiring/registry.ts, which only serve, cli, action may import; take it as a parameter instead',
      'src/runs/service.ts runs/ imports steps/registry.ts, which only wiring may import; take it as a parameter instead',
    ]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('the composition roots sit on top, and every folder of src/ has exactly one layer', () => {
  const flat = (layers as string[][]).flat();
  assert.equal(new Set(flat).size, flat.length);
  assert.equal((layers as string[][]).at(-1), ['cli', 'action']);
});

test('docs/architecture.md shows the same layers as the table the check enforces', () => {
  const text = readFileSync(join(repo, 'docs', 'architecture.md'), 'utf8');
  const rows = [...text.matchAll(/^\| (\d+) \| (`[^|]+`) \|$/gm)].map((m) => [...m[2]!.matchAll(/`([a-z-]+)\/`/g)].map((f) => f[1]));
  assert.equal(rows, layers);
});

test.run();
