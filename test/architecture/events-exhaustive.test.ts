// Every consumer of run events decides about every kind: adding a kind to `RunEvent` must fail to
// compile in each of them until it is handled (or listed as ignored). The test copies src/ to a
// temporary directory, adds a kind to the union there, and type-checks the copy once: each consumer
// must report an error, and every error must be about the new kind (so the copy compiles clean
// without it — nothing else differs from the real sources).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tscBin = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

/** The consumers, each found by what its file defines (so moving a file does not break the test). */
const consumers = [
  { name: 'the line renderer', defines: 'export function formatLine(' },
  { name: 'the failure summary', defines: 'export function failureLog(' },
  { name: 'the tree renderer', defines: 'export function treeRenderer(' },
  { name: 'the store recorder', defines: 'export function recordTo(' },
  { name: 'the event masker', defines: 'export function maskEvent(' },
  { name: 'the Action report', defines: 'export function collector(' },
  { name: 'the Action deployment tracking', defines: 'export async function runAction(' },
];

const newKind = 'step.new';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

interface Diagnostic { file: string; line: number; code: string; message: string }

/** Type-checks a copy of src/ in which `RunEvent` has one more kind. */
function checkWidened(): { diagnostics: Diagnostic[]; files: Map<string, string>; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'events-exhaustive-'));
  try {
    cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['src'] }));

    const eventsFile = join(dir, 'src', 'engine', 'events.ts');
    const events = readFileSync(eventsFile, 'utf8');
    const head = 'export type RunEvent =\n';
    assert.ok(events.includes(head), `src/engine/events.ts no longer declares \`${head.trim()}\` on its own line`);
    writeFileSync(eventsFile, events.replace(head, `${head}  | Base & { type: '${newKind}'; step: string }\n`));

    const files = new Map(sources(join(dir, 'src')).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]));
    const r = spawnSync(process.execPath, [tscBin, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout}${r.stderr}`;
    const diagnostics = [...output.matchAll(/^(\S[^(\n]*)\((\d+),\d+\): error (TS\d+): (.*)$/gm)]
      .map(([, file, line, code, message]) => ({ file: file!, line: Number(line), code: code!, message: message! }));
    assert.ok(r.status === 0 || diagnostics.length > 0, `tsc failed without diagnostics (exit ${r.status ?? r.signal}):\n${output}`);
    return { diagnostics, files, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a new kind of run event fails to compile in every consumer, and in nothing else', () => {
  const { diagnostics, files, output } = checkWidened();

  const located = consumers.map((c) => {
    const found = [...files].filter(([, text]) => text.includes(c.defines)).map(([file]) => file);
    assert.is(found.length, 1, `${c.name}: expected one file under src/ containing \`${c.defines}\`, found ${found.length}`);
    return { ...c, file: found[0]! };
  });

  const silent = located.filter((c) => !diagnostics.some((d) => d.file === c.file)).map((c) => `${c.name} (${c.file})`);
  assert.equal(silent, [], `consumers that still compile with a '${newKind}' event they do not handle: each must dispatch through an EventHandlers table, or switch with a never-typed default`);

  const consumerFiles = new Set(located.map((c) => c.file));
  const elsewhere = diagnostics.filter((d) => !consumerFiles.has(d.file));
  assert.equal(elsewhere.map((d) => `${d.file}:${d.line} ${d.code}`), [], `errors outside the listed consumers (a new consumer to list here, or a broken copy):\n${output}`);

  // The only difference from the real sources is the new kind, so every error must name it; an
  // error that does not means the sources do not compile clean as they are.
  const unrelated = diagnostics.filter((d) => !d.message.includes(newKind));
  assert.equal(unrelated.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`), [], 'errors not caused by the new kind');
});

test.run();
