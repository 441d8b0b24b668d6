import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliProcess, project, workflow } from './helpers.ts';

const good = workflow('good', '    - id: a\n      run: echo hi\n');
const bad = workflow('bad', '    - id: a\n      run: echo hi\n      needs: [c]\n    - id: b\n      uses: htp\n');

test('validate: valid documents exit 0 and say how many', async () => {
  const dir = project({ 'pipelines/good.yml': good });
  const r = await cli(['validate'], dir);
  assert.is(r.code, 0);
  assert.match(r.stdout, '1 document valid');
});

test('validate: every error with file:line:col, exit 1', async () => {
  const dir = project({ 'pipelines/bad.yml': bad, 'pipelines/good.yml': good });
  const r = await cli(['validate'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'pipelines/bad.yml:8:15: E_UNKNOWN_NEEDS');
  assert.match(r.stderr, 'pipelines/bad.yml:10:13: E_UNKNOWN_STEP_TYPE');
  assert.match(r.stdout, '2 problems in 1 file(s)');
  assert.not.match(r.stderr, /at .*\.ts:\d+/); // no stack trace
});

test('validate --format json', async () => {
  const dir = project({ 'bad.yml': bad });
  const r = await cli(['validate', 'bad.yml', '--format', 'json'], dir);
  assert.is(r.code, 1);
  const out = JSON.parse(r.stdout) as { valid: boolean; diagnostics: Array<{ code: string; line: number; col: number; file: string }> };
  assert.is(out.valid, false);
  assert.equal(out.diagnostics.map((d) => [d.file, d.line, d.col, d.code]), [['bad.yml', 8, 15, 'E_UNKNOWN_NEEDS'], ['bad.yml', 10, 13, 'E_UNKNOWN_STEP_TYPE']]);
});

test('validate: a missing path is an error with its name, not a crash', async () => {
  const dir = project({});
  const r = await cli(['validate', 'nope.yml'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'nope.yml:1:1: E_FILE_NOT_FOUND');
});

test('validate: malformed YAML points at the line', async () => {
  const dir = project({ 'x.yml': 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: x\n' });
  const r = await cli(['validate', 'x.yml'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, /x\.yml:\d+:\d+: E_YAML_SYNTAX/);
});

test('usage errors exit 2 with the usage line', async () => {
  const dir = project({});
  const a = await cli(['validate', '--bogus'], dir);
  assert.is(a.code, 2);
  assert.match(a.stderr, 'usage: pluginops validate');
  const b = await cli(['frobnicate'], dir);
  assert.is(b.code, 2);
  assert.match(b.stderr, 'unknown command');
});

test('an invalid project file is reported with its position', async () => {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nstore: { paht: x }\n', 'pipelines/good.yml': good });
  const r = await cli(['validate'], dir);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'pluginops.yml:3:10: E_UNKNOWN_KEY unknown key `paht`');
});

test('validate: a folder with no documents is a usage error, not "0 documents valid"', async () => {
  const dir = project({ 'notes/readme.txt': 'nothing here\n' });
  mkdirSync(join(dir, 'empty'));
  for (const path of ['empty', 'notes']) {
    const r = await cliProcess(['validate', path], dir).done;
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`^error: no documents found in ${path}: `));
    assert.not.match(r.stdout, /valid/);
  }
});

test.run();
