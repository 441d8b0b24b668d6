// The command probe through the real spawner: exit codes, output patterns, the output cap, and a
// timeout that kills the process tree and returns at the timeout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maxCapturedBytes } from '../../src/monitor/checks/result.ts';
import { runCheck } from '../../src/monitor/checks/run.ts';
import { realEdges } from './helpers.ts';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('exit 0 passes the default condition', async () => {
  const r = await runCheck({ type: 'command', command: 'echo hello' }, realEdges());
  assert.is(r.ok, true);
  assert.is(r.fields.exitCode, 0);
  assert.is(r.fields.output, 'hello');
  assert.type(r.fields.responseTime, 'number');
  assert.equal(r.conditions, [{ expression: 'exitCode == 0', ok: true }]);
});

test('a non-zero exit is measured, and fails the default condition', async () => {
  const r = await runCheck({ type: 'command', command: 'echo broken >&2; exit 3' }, realEdges());
  assert.is(r.ok, false);
  assert.is(r.fields.exitCode, 3);
  assert.is(r.fields.output, 'broken');
  assert.is(r.error, undefined);
  const expected = await runCheck({ type: 'command', command: 'exit 3', conditions: ['exitCode == 3'] }, realEdges());
  assert.is(expected.ok, true);
});

test('output patterns over stdout and stderr', async () => {
  const command = 'echo starting; echo "db ready" >&2';
  const r = await runCheck({ type: 'command', command, conditions: ["contains(output, 'ready')", "startsWith(output, 'starting')"] }, realEdges());
  assert.equal(r.conditions.map((c) => c.ok), [true, true]);
  assert.is(r.ok, true);
  const miss = await runCheck({ type: 'command', command, conditions: ["contains(output, 'listening')"] }, realEdges());
  assert.is(miss.ok, false);
});

test('output is cut at 64 KiB', async () => {
  const r = await runCheck({ type: 'command', command: `head -c ${maxCapturedBytes * 2} /dev/zero | tr '\\0' 'a'; echo; echo tail` }, realEdges());
  assert.is(r.fields.exitCode, 0);
  assert.is((r.fields.output as string).length, maxCapturedBytes);
});

test('a timeout kills the process and returns at the timeout', async () => {
  const started = Date.now();
  const r = await runCheck({ type: 'command', command: 'echo $$; exec sleep 30', timeout: '300ms' }, realEdges());
  const waited = Date.now() - started;
  assert.is(r.ok, false);
  assert.is(r.error, 'timed out after 300ms');
  assert.ok(waited >= 290 && waited < 2_000, `waited ${waited}ms`);
  const pid = Number(r.fields.output);
  assert.ok(pid > 0, `pid from output: ${String(r.fields.output)}`);
  assert.is(alive(pid), false);
});

test('a command that cannot start is a failed probe', async () => {
  const r = await runCheck({ type: 'command', command: 'true' }, realEdges({ cwd: '/nonexistent/dir' }));
  assert.is(r.ok, false);
  assert.match(r.error ?? '', /could not start sh/);
});

test('env and cwd are passed to the command', async () => {
  const r = await runCheck({ type: 'command', command: 'echo "$PROBE_VALUE $(pwd)"', conditions: ["output == 'x /tmp'"] },
    realEdges({ cwd: '/tmp', env: { PROBE_VALUE: 'x', PATH: process.env.PATH ?? '/usr/bin:/bin' } }));
  assert.is(r.fields.output, 'x /tmp');
  assert.is(r.ok, true);
});

test.run();
