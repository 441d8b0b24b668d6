// The worker thread that checks document bodies: verdicts equal the in-thread check's; a check
// past its time limit ends the worker and is refused with a coded error; closing refuses what
// is pending.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { withDefaults } from '../../src/documents/limits.ts';
import { inThreadChecker } from '../../src/api/workflows/checker.ts';
import { workerChecker } from '../../src/serve/offload.ts';
import { registry } from '../../src/wiring/registry.ts';
import type { BodyJob } from '../../src/api/workflows/check-body.ts';
import { manyKeys } from './hostile-bodies.ts';

const valid: BodyJob = { id: 'w', media: 'yaml', limits: withDefaults(), text: 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: w }\nspec:\n  steps:\n    - { id: a, run: make }\n' };
const deep: BodyJob = { ...valid, text: '['.repeat(100_000) };

test('the worker gives the same verdicts as the in-thread check', async () => {
  const checker = workerChecker();
  try {
    for (const job of [valid, deep, { ...valid, media: 'json' as const, text: '{"apiVersion": "pluginops/v1", "kind": "Workflow", "metadata": {"id": "w"}, "spec": {"steps": [{"id": "a", "run": "make"}]}}' }]) {
      assert.equal(await checker.check(job), await inThreadChecker(registry).check(job));
    }
  } finally { await checker.close(); }
});

test('a check past the time limit ends its worker and is refused with a code (the server does not wait for it)', async () => {
  const checker = workerChecker({ timeoutMs: 1 });
  const slow: BodyJob = { ...valid, text: manyKeys(50_000), limits: withDefaults({ maxNodes: 1_000_000 }) };
  try {
    const refused = await checker.check(slow);

    assert.is(refused.ok, false);
    if (!refused.ok) {
      assert.is(refused.details?.[0]?.code, 'E_TOO_LARGE');
      assert.match(refused.message, 'took longer than');
    }
  } finally { await checker.close(); }
  const fresh = workerChecker();
  try { assert.equal((await fresh.check(valid)).ok, true); } finally { await fresh.close(); }
});

test('closing refuses what is still pending instead of leaving it hanging', async () => {
  const checker = workerChecker();
  const pending = checker.check(valid);
  await checker.close();

  const verdict = await pending;

  assert.is(verdict.ok, false);
});

test.run();
