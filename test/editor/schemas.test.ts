// The editor schemas judge steps as the loader does: table-driven cases, each checked by the
// loader and by the committed schemas/workflow.schema.json and action-plan.schema.json (ajv), which
// must agree with each other and with the expected verdict. And no `errorMessage` in a published
// schema sits where it would stand in for a different failure.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { stringify } from 'yaml';
import { loadText } from '../../src/documents/load.ts';

const schemasDir = join(import.meta.dirname, '..', '..', 'schemas');
const readSchema = (file: string) => JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = {
  Workflow: ajv.compile(readSchema('workflow.schema.json')),
  ActionPlan: ajv.compile(readSchema('action-plan.schema.json')),
};

const cases: Array<{ name: string; step: Record<string, unknown>; valid: boolean }> = [
  { name: 'http with its inputs', step: { uses: 'http', with: { url: 'https://example.com', method: 'POST', body: { a: 1 }, expect: { status: [200, 201], json: { 'data.ok': true } } } }, valid: true },
  { name: 'expressions where a URL, a status and headers are expected', step: { uses: 'http', with: { url: '${{ params.url }}', headers: '${{ params.headers }}', expect: { status: '${{ params.status }}' } } }, valid: true },
  { name: 'an expression inside a union (the loader reports the union as a whole)', step: { uses: 'http', with: { url: 'https://example.com', expect: { status: [200, '${{ params.other }}'] } } }, valid: false },
  { name: 'an expression for an integer input', step: { uses: 'approval', with: { quorum: '${{ params.quorum }}' } }, valid: true },
  { name: 'a number in a list of check ids', step: { uses: 'plugin/monitor', with: { healthChecks: [5] } }, valid: false },
  { name: 'a misspelt http input', step: { uses: 'http', with: { url: 'https://example.com', methd: 'GET' } }, valid: false },
  { name: 'an http method outside the list', step: { uses: 'http', with: { url: 'https://example.com', method: 'FETCH' } }, valid: false },
  { name: 'a URL without a scheme', step: { uses: 'http', with: { url: 'example.com' } }, valid: false },
  { name: 'a number for a duration', step: { uses: 'wait', with: { duration: 5 } }, valid: false },
  { name: 'an expression for a duration', step: { uses: 'wait', with: { duration: '${{ params.pause }}' } }, valid: true },
  { name: 'wait without its required input', step: { uses: 'wait' }, valid: false },
  { name: 'a text for an integer input', step: { uses: 'plugin/monitor', with: { failureThreshold: 'many' } }, valid: false },
  { name: 'plugin/deploy with expressions for its required inputs', step: { uses: 'plugin/deploy', with: { archive: '${{ steps.x0.outputs.archive }}', sha256: '${{ steps.x0.outputs.sha256 }}' } }, valid: true },
  { name: 'plugin/deploy without sha256', step: { uses: 'plugin/deploy', with: { archive: 'a.tgz' } }, valid: false },
  { name: 'an expression for an enum input', step: { uses: 'plugin/security-scan', with: { failOn: '${{ params.failOn }}' } }, valid: true },
  { name: 'notify with its inputs', step: { uses: 'notify', with: { channels: ['ops'], title: 'done' } }, valid: true },
  { name: 'an unknown step type', step: { uses: 'plugin/publish' }, valid: false },
  { name: 'with on a run step', step: { run: 'make', with: { target: 'all' } }, valid: false },
  { name: 'a run step with env', step: { run: 'make "$T"', env: { T: '${{ params.t }}' } }, valid: true },
  { name: 'both uses and run', step: { uses: 'wait', run: 'make', with: { duration: '1s' } }, valid: false },
];

for (const kind of ['Workflow', 'ActionPlan'] as const) {
  for (const c of cases) {
    test(`${kind}, ${c.name}: the loader and the editor schema both say ${c.valid ? 'valid' : 'invalid'}`, () => {
      const doc = { apiVersion: 'pluginops/v1', kind, metadata: { id: 'case' }, spec: { steps: [{ id: 'x0', run: 'true' }, { id: 'step', needs: ['x0'], ...c.step }] } };

      const loader = loadText('case.yml', stringify(doc), registry).diagnostics;
      const editor = validators[kind](doc);

      assert.is(loader.length === 0, c.valid, `loader: ${JSON.stringify(loader)}`);
      assert.is(editor, c.valid, `editor schema: ${JSON.stringify(validators[kind].errors)}`);
    });
  }
}

/** Every node holding `errorMessage` in a JSON value, with its JSON pointer. */
function* withErrorMessage(node: unknown, pointer: string): Generator<{ pointer: string; node: Record<string, unknown> }> {
  if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* withErrorMessage(v, `${pointer}/${i}`);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('errorMessage' in o) yield { pointer, node: o };
    for (const [k, v] of Object.entries(o)) yield* withErrorMessage(v, `${pointer}/${k}`);
  }
}

test('an errorMessage in a published schema sits only on a node that requires keys or forbids keys, nothing else', () => {
  const misplaced: string[] = [];
  let found = 0;
  for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.json'))) {
    for (const { pointer, node } of withErrorMessage(readSchema(file), '')) {
      found++;
      const checks = Object.keys(node).filter((k) => k !== 'errorMessage' && k !== 'description');
      const forbidsOnly = checks.length === 1 && checks[0] === 'properties' && Object.values(node.properties as object).every((v) => v === false);
      if (!(checks.length === 1 && checks[0] === 'required') && !forbidsOnly) misplaced.push(`${file}#${pointer}: ${checks.join(', ')}`);
    }
  }

  assert.equal(misplaced, []);
  assert.ok(found >= 4, 'the friendly sentences are still published where they fit');
});

test.run();
