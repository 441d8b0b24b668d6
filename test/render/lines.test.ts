import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunEvent } from '../../src/engine/events.ts';
import { renderers } from '../../src/render/index.ts';
import { isVerbose } from '../../src/render/renderer.ts';

const base = { executionId: 'ex1', at: 0 };

function render(events: RunEvent[], verbose = false): { out: string; err: string } {
  const seen = { out: '', err: '' };
  const r = renderers.lines({ out: { write: (t) => { seen.out += t; } }, err: { write: (t) => { seen.err += t; } }, verbose });
  for (const e of events) r.emit(e);
  return seen;
}

// What `python -m unittest -v` writes: everything on stderr, blank lines included.
const unittest = ['test_greets (test_hello.T) ... ok', '', '----------------------------------------------------------------------', 'Ran 1 test in 0.000s', '', 'OK'];
const passingRun: RunEvent[] = [
  { ...base, type: 'execution.started', workflow: 'ship', steps: [{ id: 'test', name: 'test', needs: [] }] },
  { ...base, type: 'step.started', step: 'test', attempt: 1 },
  { ...base, type: 'step.log', step: 'test', level: 'info', message: 'running python -m unittest -v' },
  ...unittest.map((message): RunEvent => ({ ...base, type: 'step.log', step: 'test', level: 'info', stream: 'stderr', message })),
  { ...base, type: 'step.finished', step: 'test', status: 'success', conclusion: 'success', attempts: 1, durationMs: 80, outputs: {} },
  { ...base, type: 'execution.finished', status: 'success', durationMs: 90 },
];

test('a process\'s stderr is shown as its output, not as warnings, and blank lines get no label', () => {
  const { out, err } = render(passingRun);
  assert.not.match(out, /warn/);
  assert.ok(out.includes('[test] Ran 1 test in 0.000s\n[test]\n[test] OK\n'), out);
  assert.is(err, '');
});

test('a step\'s own warnings still say so', () => {
  const { out } = render([{ ...base, type: 'step.log', step: 'build', level: 'warn', message: 'no tests found' }]);
  assert.is(out, '[build] warn: no tests found\n');
});

test('debug lines are hidden unless verbose', () => {
  const events: RunEvent[] = [
    { ...base, type: 'step.log', step: 'scan', level: 'debug', message: 'skipped vendor/x.js' },
    { ...base, type: 'step.log', step: 'scan', level: 'info', message: '3 files scanned' },
  ];
  assert.is(render(events).out, '[scan] 3 files scanned\n');
  assert.is(render(events, true).out, '[scan] debug: skipped vendor/x.js\n[scan] 3 files scanned\n');
});

test('verbose: the flag, PLUGINOPS_DEBUG or RUNNER_DEBUG=1', () => {
  assert.is(isVerbose(undefined, {}), false);
  assert.is(isVerbose(true, {}), true);
  assert.is(isVerbose(undefined, { PLUGINOPS_DEBUG: '1' }), true);
  assert.is(isVerbose(undefined, { RUNNER_DEBUG: '1' }), true);
  assert.is(isVerbose(undefined, { RUNNER_DEBUG: '0' }), false);
});

test('a failure goes to the error output with the tail of the step\'s output and where the full log is', () => {
  const traceback = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).concat(['AssertionError: 1 != 2', '']);
  const { out, err } = render([
    { ...base, type: 'execution.started', workflow: 'ship', steps: [{ id: 'test', name: 'test', needs: [] }, { id: 'deploy', name: 'deploy', needs: ['test'] }] },
    { ...base, type: 'step.started', step: 'test', attempt: 1 },
    ...traceback.map((message): RunEvent => ({ ...base, type: 'step.log', step: 'test', level: 'info', stream: 'stderr', message })),
    { ...base, type: 'step.finished', step: 'test', status: 'failed', conclusion: 'failed', attempts: 1, durationMs: 1200, outputs: {}, error: 'the tests failed (exit 1)' },
    { ...base, type: 'step.skipped', step: 'deploy', status: 'skipped', reason: 'a step it needs did not succeed' },
    { ...base, type: 'execution.finished', status: 'failed', durationMs: 1300, error: 'step test failed' },
  ]);
  assert.ok(out.includes('[test] started\n'));
  assert.ok(out.includes('[deploy] skipped: a step it needs did not succeed\n'));
  assert.not.ok(out.includes('failed in'), 'failures are not on the progress output');
  const lines = err.split('\n');
  assert.is(lines[0], '[test] failed in 1.20s: the tests failed (exit 1)');
  assert.is(lines[1], 'execution ex1 failed in 1.30s: step test failed');
  assert.is(lines[2], 'failed: test: the tests failed (exit 1)');
  assert.is(lines[3], '  last 19 lines of its output:');
  assert.is(lines[4], '    line 13', 'the last 20 lines, the trailing blank one trimmed');
  assert.is(lines[22], '    AssertionError: 1 != 2');
  assert.is(lines[23], '  full log: pluginops executions logs ex1 --step test');
});

test('a continued failure is not a failure; a retried step shows only its last attempt\'s output', () => {
  const { err } = render([
    { ...base, type: 'step.started', step: 'lint', attempt: 1 },
    { ...base, type: 'step.log', step: 'lint', level: 'info', stream: 'stdout', message: 'first attempt' },
    { ...base, type: 'step.started', step: 'lint', attempt: 2 },
    { ...base, type: 'step.log', step: 'lint', level: 'info', stream: 'stdout', message: 'second attempt' },
    { ...base, type: 'step.finished', step: 'lint', status: 'failed', conclusion: 'failed', attempts: 2, durationMs: 10, outputs: {}, error: 'exit 2' },
    { ...base, type: 'step.started', step: 'audit', attempt: 1 },
    { ...base, type: 'step.finished', step: 'audit', status: 'failed', conclusion: 'success', attempts: 1, durationMs: 10, outputs: {}, error: 'exit 1' },
    { ...base, type: 'execution.finished', status: 'failed', durationMs: 20 },
  ]);
  assert.ok(err.includes('    second attempt\n'));
  assert.not.ok(err.includes('first attempt'));
  assert.not.ok(err.includes('audit'), err);
});

test.run();
