import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { cleanseAnsi } from 'listr2';
import type { RunEvent } from '../../src/engine/events.ts';
import { renderers } from '../../src/render/index.ts';

const base = { executionId: 'ex1', at: 0 };

/** A terminal that keeps what was drawn. */
function terminal() {
  let drawn = '';
  const stream = Object.assign(new Writable({ write(chunk, _enc, done) { drawn += String(chunk); done(); } }), { isTTY: true, columns: 100, rows: 40 });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => cleanseAnsi(drawn) };
}

/** The last frame log-update drew: the text after its last erase sequence. */
const lastFrame = (text: string): string => text.split(/\n(?=.*build)/).at(-1) ?? '';

test('the tree: steps not yet started wait without a spinner; a skipped step is neutral; failures go to the error output', async () => {
  const term = terminal();
  let out = '', err = '';
  const r = renderers.tree({ out: { write: (t) => { out += t; } }, err: { write: (t) => { err += t; } }, verbose: false, terminal: term.stream });
  r.emit({ ...base, type: 'execution.started', workflow: 'ship', steps: [
    { id: 'build', name: 'build', needs: [] }, { id: 'test', name: 'test', needs: ['build'] }, { id: 'rollback', name: 'rollback', needs: ['test'] },
  ] });
  r.emit({ ...base, type: 'step.started', step: 'build', attempt: 1 });
  await delay(250);
  const frame = lastFrame(term.text());

  const events: RunEvent[] = [
    { ...base, type: 'step.finished', step: 'build', status: 'success', conclusion: 'success', attempts: 1, durationMs: 10, outputs: {} },
    { ...base, type: 'step.started', step: 'test', attempt: 1 },
    { ...base, type: 'step.log', step: 'test', level: 'info', stream: 'stderr', message: 'Traceback (most recent call last):' },
    { ...base, type: 'step.log', step: 'test', level: 'info', stream: 'stderr', message: 'AssertionError' },
    { ...base, type: 'step.finished', step: 'test', status: 'failed', conclusion: 'failed', attempts: 1, durationMs: 20, outputs: {}, error: 'the tests failed (exit 1)' },
    { ...base, type: 'step.skipped', step: 'rollback', status: 'skipped', reason: 'its condition was false' },
    { ...base, type: 'execution.finished', status: 'failed', durationMs: 40, error: 'step test failed' },
  ];
  for (const e of events) r.emit(e);
  await r.close();
  const line = (name: string) => frame.split('\n').find((l) => l.trim().endsWith(name)) ?? '';
  assert.match(line('test'), /◼ test/, frame);
  assert.match(line('rollback'), /◼ rollback/, frame);
  assert.not.match(line('build'), /◼/, frame);
  assert.ok(line('build').length > 0, frame);
  const final = term.text();
  assert.match(final, /↓ rollback: its condition was false/);
  assert.not.match(final, /⚠/);
  assert.is(out, '');
  assert.equal(err.split('\n').slice(0, 5), [
    'execution ex1 failed in 40ms: step test failed',
    'failed: test: the tests failed (exit 1)',
    '  last 2 lines of its output:',
    '    Traceback (most recent call last):',
    '    AssertionError',
  ]);
  assert.ok(err.includes('  full log: pluginops executions logs ex1 --step test\n'));
});

test('the tree: a successful run ends with its closing line on the normal output', async () => {
  const term = terminal();
  let out = '', err = '';
  const r = renderers.tree({ out: { write: (t) => { out += t; } }, err: { write: (t) => { err += t; } }, verbose: false, terminal: term.stream });
  r.emit({ ...base, type: 'execution.started', workflow: 'ship', steps: [{ id: 'build', name: 'build', needs: [] }] });
  r.emit({ ...base, type: 'step.started', step: 'build', attempt: 1 });
  r.emit({ ...base, type: 'step.finished', step: 'build', status: 'success', conclusion: 'success', attempts: 1, durationMs: 10, outputs: {} });
  r.emit({ ...base, type: 'execution.finished', status: 'success', durationMs: 1500 });
  await r.close();
  assert.is(out, 'execution ex1 success in 1.50s\n');
  assert.is(err, '');
  assert.match(term.text(), /build \(10ms\)/);
});

test.run();
