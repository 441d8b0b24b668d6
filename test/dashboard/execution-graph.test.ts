// The step graph drawn on the server: layered columns from the plan's needs, every node
// labelled with its status in words, a bounded drawing for any number of steps, escaped ids.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExecutionRecord, StepRecord, StepStatus } from '../../src/store/types.ts';
import { columnBudget, layersOf, orderedSteps, stepGraph } from '../../src/ui/executions/graph.ts';

const step = (id: string, status: StepStatus = 'success'): StepRecord => ({ id, status, attempts: 1, outputs: {} });
const run = (steps: StepRecord[], needs: Record<string, string[]> = {}): Pick<ExecutionRecord, 'id' | 'steps' | 'needs'> =>
  ({ id: 'r1', steps: Object.fromEntries(steps.map((s) => [s.id, s])), needs });

test('layers: a step stands one column right of the last step it waits for', () => {
  const cases: Array<[string[], Record<string, string[]>, string[][]]> = [
    [['a', 'b', 'c', 'd'], { b: ['a'], c: ['a'], d: ['b', 'c'] }, [['a'], ['b', 'c'], ['d']]],
    [['a', 'b', 'c'], { c: ['a', 'b'], b: ['a'] }, [['a'], ['b'], ['c']]],
    [['x', 'y'], {}, [['x', 'y']]],
    [['a', 'b'], { b: ['ghost', 'b'] }, [['a', 'b']]],
    [['a', 'b', 'c'], { b: ['c'], c: ['b'] }, [['a'], ['b', 'c']]],
  ];
  for (const [ids, needs, want] of cases) assert.equal(layersOf(ids, needs), want, JSON.stringify(needs));
});

test('a chain of 5,000 steps is layered without deep recursion', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => `s${i}`);
  const needs = Object.fromEntries(ids.slice(1).map((id, i) => [id, [ids[i]!]]));
  const layers = layersOf(ids, needs);
  assert.is(layers.length, 5000);
  assert.is(layers[4999]![0], 's4999');
});

test('each node says its status in words beside the colour; edges follow needs; ids are escaped', () => {
  const svg = stepGraph('en', run([step('fetch'), step('<b>x</b>', 'failed'), step('ship', 'pending')], { '<b>x</b>': ['fetch'], ship: ['<b>x</b>'] })).text;
  assert.match(svg, /<g class="node ok"[^>]*><title>fetch: success<\/title>/);
  assert.match(svg, /<g class="node bad"[\s\S]*?✕ failed/);
  assert.match(svg, /<g class="node warn"[\s\S]*?! pending/);
  assert.match(svg, /&lt;b&gt;x&lt;\/b&gt;/);
  assert.not.match(svg, /<b>/);
  assert.is((svg.match(/<path class="edge"/g) ?? []).length, 2);
  assert.match(stepGraph('ko', run([step('a', 'failed')])).text, /✕ 실패/);
});

test('beyond the node budget the graph sums up layers by status, in at most the column budget', () => {
  const steps: StepRecord[] = [];
  const needs: Record<string, string[]> = {};
  for (let i = 0; i < 2000; i++) {
    steps.push(step(`s${i}`, i === 1999 ? 'failed' : 'success'));
    if (i > 0) needs[`s${i}`] = [`s${i - 1}`];
  }
  const svg = stepGraph('en', run(steps, needs)).text;
  assert.ok(svg.length < 40_000, `${svg.length} characters`);
  const nodes = svg.match(/<g class="node /g) ?? [];
  assert.ok(nodes.length <= columnBudget, `${nodes.length} columns`);
  assert.match(svg, /Layers 1–50/);
  assert.match(svg, /<g class="node bad"[\s\S]*?Layers 1951–2000[\s\S]*?✕ 1 failed/);
  assert.equal(orderedSteps(run(steps, needs)).slice(0, 3), ['s0', 's1', 's2']);
});

test.run();
