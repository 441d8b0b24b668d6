// The shipped self-healing documents: they validate, as templates and as the example project's
// documents, and the rules fire as documented on timestamped values (`pluginops rules test`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { cli, root } from '../cli/helpers.ts';
import { shippedPlanIds } from '../../src/documents/package-root.ts';

test('the runbooks are shipped plans, and pipelines/ validates with them', async () => {
  for (const id of ['git_autosave', 'plugin_cache_clear']) assert.ok(shippedPlanIds().has(id), id);
  const r = await cli(['validate', 'pipelines/self-healing.yml', 'pipelines/git_autosave.yml', 'pipelines/plugin_cache_clear.yml'], root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /9 documents valid/);
});

test('the example project validates: its documents are the shipped triggers', async () => {
  const r = await cli(['validate'], join(root, 'examples', 'self-healing'));
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /7 documents valid/);
  const checks = await cli(['check', 'list', '--json'], join(root, 'examples', 'self-healing'));
  assert.is(checks.code, 0, checks.stderr);
  assert.equal((JSON.parse(checks.stdout) as Array<{ id: string }>).map((c) => c.id).sort(), ['file-size', 'git-changes', 'plugin-latency']);
});

test('the shipped rules fire as documented (rules test)', async () => {
  const r = await cli(['rules', 'test', 'examples/self-healing/tests/self-healing.test.yml'], root);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /5 passed, 0 failed/);
});

test.run();
