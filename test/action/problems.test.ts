// Located problems as data on `step.finished`: the validate step's syntax errors, missing files
// and manifest errors, and the test step's failures read from unittest tracebacks, pytest's
// reports and JUnit files — each at a file and line relative to the workspace, from real runs.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventOf, LocatedProblem, RunEvent } from '../../src/engine/events.ts';
import { plan } from '../../src/engine/plan.ts';
import { runLocal } from '../../src/runs/local.ts';
import { maskEvent, masker } from '../../src/engine/mask.ts';
import { loadProject } from '../../src/project/load.ts';
import { findWorkflowIn } from '../../src/project/workflows.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { workspace } from './helpers.ts';

/** Runs a template in-process on a plugin; returns the `step.finished` events by step id. */
async function run(dir: string, workflow: string, plugin: string): Promise<Map<string, EventOf<'step.finished'>>> {
  const project = await loadProject(dir);
  const { runnable, set } = await findWorkflowIn(project, dir, workflow, registry);
  const store = await openFileStore(project.storeDir);
  const events: RunEvent[] = [];
  try {
    await runLocal({ graph: plan(runnable.doc, registry.steps), params: {}, plugin, project, documents: set, store, cwd: dir, env: { PATH: process.env.PATH }, listeners: [(e) => events.push(e)] });
  } finally {
    await store.close();
  }
  return new Map(events.filter((e): e is EventOf<'step.finished'> => e.type === 'step.finished').map((e) => [e.step, e]));
}

const where = (ps: readonly LocatedProblem[] | undefined) => (ps ?? []).map((p) => `${p.file}:${p.line}${p.col ? `:${p.col}` : ''}`);

test('a syntax error is a problem on the validation step at file, line and column, relative to the workspace', async () => {
  const dir = workspace('broken-syntax');
  const steps = await run(dir, 'testing_only', './plugins/broken-syntax/');
  const v = steps.get('validation')!;
  assert.is(v.status, 'failed');
  assert.equal(where(v.problems), ['plugins/broken-syntax/backend/plugin.py:6:28']);
  assert.match(v.problems![0]!.message, /SyntaxError: '\(' was never closed/);
  assert.is(v.problems![0]!.title, 'syntax error');
});

test('a missing entry and a manifest error are problems at the manifest\'s position', async () => {
  const dir = workspace('broken-missing-entry', 'hello');
  const missing = (await run(dir, 'testing_only', 'plugins/broken-missing-entry')).get('validation')!;
  assert.equal(where(missing.problems), ['plugins/broken-missing-entry/config/plugin.json:7:12']);
  assert.is(missing.problems![0]!.title, 'missing file');
  const manifest = join(dir, 'plugins/hello/config/plugin.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"version": "1.0.0"', '"version": 3'));
  const bad = (await run(dir, 'testing_only', 'plugins/hello')).get('validation')!;
  assert.is(bad.problems?.length, 1, JSON.stringify(bad.problems));
  assert.match(bad.problems![0]!.file, /^plugins\/hello\/config\/plugin\.json$/);
  assert.match(bad.problems![0]!.title ?? '', /^manifest E_/);
});

test('a failing unittest is a problem at the assertion\'s line, named after the test', async () => {
  const dir = workspace('broken-tests');
  const t = (await run(dir, 'testing_only', 'plugins/broken-tests')).get('test')!;
  assert.is(t.status, 'failed');
  assert.equal(where(t.problems), ['plugins/broken-tests/tests/test_plugin.py:15']);
  assert.match(t.problems![0]!.message, /^test_shouts \(test_plugin\.GreetTest\.test_shouts\): AssertionError: 'hello, Ada' != 'HELLO, ADA'$/);
  assert.is(t.problems![0]!.title, 'test failed');
});

const hasPytest = spawnSync('python3', ['-c', 'import pytest']).status === 0;

test('a failing pytest test (detected, with its JUnit report) is one problem, at the failing line in the plugin\'s code', async () => {
  if (!hasPytest) return assert.unreachable('pytest is needed for this test (apt-get install python3-pytest)');
  const dir = workspace('broken-tests');
  const manifest = join(dir, 'plugins/broken-tests/config/plugin.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(/\s*"test": \{[^}]*\},/, ''));
  // The failure is raised inside the plugin's code, two frames below the test.
  writeFileSync(join(dir, 'plugins/broken-tests/tests/test_raise.py'), 'import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "backend"))\nfrom plugin import handle\n\n\ndef test_bad_request():\n    handle(None)\n');
  const t = (await run(dir, 'testing_only', 'plugins/broken-tests')).get('test')!;
  assert.is(t.status, 'failed');
  assert.equal(where(t.problems).sort(), ['plugins/broken-tests/backend/plugin.py:10', 'plugins/broken-tests/tests/test_plugin.py:15']);
  const raised = t.problems!.find((p) => p.file.endsWith('backend/plugin.py'))!;
  assert.match(raised.message, /test_bad_request.*AttributeError: 'NoneType' object has no attribute 'get'/);
});

test('a failing node --test test is a problem at the JavaScript frame\'s line and column', async () => {
  const dir = workspace('hello-node');
  const file = join(dir, 'plugins/hello-node/test/greet.test.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace("'hello, Ada'", "'HELLO'"));
  const t = (await run(dir, 'testing_only', 'plugins/hello-node')).get('test')!;
  assert.is(t.status, 'failed');
  assert.equal(where(t.problems), ['plugins/hello-node/test/greet.test.js:6:37']);
  assert.match(t.problems![0]!.message, /^greets by name: Expected values to be strictly equal/);
});

test('problems are masked like every other text of an event', () => {
  const e: RunEvent = { type: 'step.finished', executionId: 'x', at: 0, step: 's', status: 'failed', conclusion: 'failed', attempts: 1, durationMs: 1, outputs: {}, problems: [{ file: 'a.py', line: 1, message: 'token s3cr3tvalue leaked', title: 'has s3cr3tvalue' }] };
  const masked = maskEvent(e, masker(['s3cr3tvalue']));
  assert.equal(masked.type === 'step.finished' ? masked.problems : [], [{ file: 'a.py', line: 1, message: 'token *** leaked', title: 'has ***' }]);
});

test.run();
