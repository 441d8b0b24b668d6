import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunEvent } from '../../src/engine/events.ts';
import { formatLine } from '../../src/render/lines.ts';
import { defaultRenderer, renderers } from '../../src/render/index.ts';

const base = { executionId: 'ex1', at: 0 };
const cases: Array<[RunEvent, string]> = [
  [{ ...base, type: 'execution.started', workflow: 'ship', steps: [{ id: 'a', name: 'a', needs: [] }] }, 'execution ex1 started: ship (1 steps)'],
  [{ ...base, type: 'step.started', step: 'build', attempt: 1 }, '[build] started'],
  [{ ...base, type: 'step.started', step: 'build', attempt: 2 }, '[build] started (attempt 2)'],
  [{ ...base, type: 'step.log', step: 'build', level: 'info', message: 'compiling' }, '[build] compiling'],
  [{ ...base, type: 'step.log', step: 'build', level: 'warn', message: 'deprecated' }, '[build] warn: deprecated'],
  [{ ...base, type: 'step.retrying', step: 'test', attempt: 1, delayMs: 2000, reason: 'exit 1' }, '[test] attempt 1 failed: exit 1; retrying in 2.00s'],
  [{ ...base, type: 'step.finished', step: 'test', status: 'failed', conclusion: 'success', attempts: 3, durationMs: 1500, outputs: {}, error: 'exit 1' }, '[test] failed (continued: success) in 1.50s after 3 attempts: exit 1'],
  [{ ...base, type: 'step.skipped', step: 'deploy', status: 'skipped', reason: 'its condition was false' }, '[deploy] skipped: its condition was false'],
  [{ ...base, type: 'execution.finished', status: 'timed_out', durationMs: 61_000, error: 'the workflow timed out after 60000ms' }, 'execution ex1 timed_out in 1m1s: the workflow timed out after 60000ms'],
];

for (const [event, line] of cases) {
  test(`lines: ${event.type} → "${line}"`, () => {
    assert.is(formatLine(event), line);
  });
}

test('json renderer writes one parseable event per line, in order', () => {
  let out = '';
  const r = renderers.json({ out: { write: (t) => { out += t; } }, err: { write: () => undefined }, verbose: false });
  for (const [e] of cases) r.emit(e);
  const parsed = out.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
  assert.equal(parsed, cases.map(([e]) => e));
});

test('quiet renderer writes nothing', () => {
  let out = '';
  const r = renderers.quiet({ out: { write: (t) => { out += t; } }, err: { write: (t) => { out += t; } }, verbose: false });
  for (const [e] of cases) r.emit(e);
  assert.is(out, '');
});

test('the default renderer: a tree for terminals, lines for CI, pipes and dumb terminals', () => {
  assert.is(defaultRenderer({ isTTY: true, env: {} }), 'tree');
  assert.is(defaultRenderer({ isTTY: true, env: { CI: 'true' } }), 'lines');
  assert.is(defaultRenderer({ isTTY: true, env: { TERM: 'dumb' } }), 'lines');
  assert.is(defaultRenderer({ isTTY: false, env: {} }), 'lines');
});

test.run();
