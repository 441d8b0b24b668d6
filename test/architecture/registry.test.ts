// Document checking and planning use the registry they are handed, not one they import: a smaller
// registry refuses what it does not know, a larger one plans its own step types, and a kind's
// rules run only when the registry carries them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Type } from '@sinclair/typebox';
import { loadText } from '../../src/documents/load.ts';
import { plan, UnknownStepTypeError } from '../../src/engine/plan.ts';
import { defineStep, type Registry, type StepDefinition, type StepRegistry } from '../../src/engine/step.ts';
import { registry } from '../../src/wiring/registry.ts';

const table = (defs: Record<string, StepDefinition>): StepRegistry => ({
  uses: Object.keys(defs).filter((k) => k !== 'run'),
  get: (kind) => (Object.hasOwn(defs, kind) ? defs[kind] : undefined),
});

const echo = defineStep({ description: 'Echoes its text.', inputs: Type.Object({ text: Type.String() }), handler: async (ctx) => { ctx.log(ctx.inputs.text); } });
const workflow = (uses: string, extra = '') => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: w }
spec:
  steps:
    - id: a
      uses: ${uses}
      with: { text: hi }${extra}
`;

test('a registry without a step type refuses it at its line and column, and plan() refuses it too', () => {
  const small: Registry = { steps: table({ run: registry.steps.get('run')! }), kinds: {} };
  const { diagnostics } = loadText('w.yml', workflow('http'), small);
  assert.equal(diagnostics.map((d) => [d.code, d.line, d.col]), [['E_UNKNOWN_STEP_TYPE', 7, 13]]);
  assert.match(diagnostics[0]!.message, /expected one of: $/);
  const checked = loadText('w.yml', workflow('http').replace('with: { text: hi }', 'with: { url: "http://127.0.0.1:1/" }'), registry);
  assert.equal(checked.diagnostics, []);
  const doc = [...checked.set.Workflow.values()][0]!.doc;
  try { plan(doc, small.steps); assert.unreachable('planned a step type the registry lacks'); } catch (e) {
    assert.instance(e, UnknownStepTypeError);
    assert.is((e as UnknownStepTypeError).code, 'E_UNKNOWN_STEP_TYPE');
  }
});

test('a registry with its own step type checks its `with:` by its schema and plans it', () => {
  const mine: Registry = { steps: table({ run: registry.steps.get('run')!, echo }), kinds: {} };
  assert.equal(loadText('w.yml', workflow('echo'), registry).diagnostics.map((d) => d.code), ['E_UNKNOWN_STEP_TYPE']);
  const bad = loadText('w.yml', workflow('echo').replace('text: hi', 'text: [1]'), mine).diagnostics;
  assert.equal(bad.map((d) => [d.code, d.line]), [['E_TYPE', 8]]);
  const ok = loadText('w.yml', workflow('echo'), mine);
  assert.equal(ok.diagnostics, []);
  const graph = plan([...ok.set.Workflow.values()][0]!.doc, mine.steps);
  assert.is(graph.steps[0]!.definition, echo);
});

test('a kind\'s rules come from the registry: the monitor\'s HealthCheck rules run only when it carries them', () => {
  const check = `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: c }
spec:
  type: http
  url: "http://127.0.0.1:1/"
  interval: 30s
  conditions: ["[STATUS] =="]
`;
  const withRules = loadText('c.yml', check, registry).diagnostics;
  assert.ok(withRules.length > 0 && withRules.every((d) => d.line === 8 && d.code === 'E_EXPRESSION'), JSON.stringify(withRules));
  assert.equal(loadText('c.yml', check, { steps: registry.steps, kinds: {} }).diagnostics, []);
});

test.run();
