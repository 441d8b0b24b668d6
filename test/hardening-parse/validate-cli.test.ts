// `pluginops validate` on hostile files, as a real process: 5 MiB of `[` and 200k keys exit
// non-zero with a located, coded error within 10 s and under 300 MB of memory (maxRSS measured
// by /usr/bin/time, the heap capped at 256 MiB besides); with the size limit raised, the pre-scan
// refuses the same files as too deep or too large in node count. SIGTERM during a long validate
// ends it promptly.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { root } from '../cli/helpers.ts';
import { brackets, manyKeys } from './hostile-bodies.ts';

const MiB = 1024 * 1024;
const timeBin = '/usr/bin/time';

interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; maxRssKb?: number }

/**
 * Runs `pluginops validate ARGS` in `cwd` as users do (bin/pluginops.js: the bundle once built),
 * with a 256 MiB heap, under /usr/bin/time -v when the machine has it.
 */
function validate(cwd: string, args: string[], o: { killAfterMs?: number; signalWhen?: Promise<unknown>; command?: string } = {}): Promise<Ran & { runningAtSignal?: boolean }> {
  const node = [process.execPath, '--max-old-space-size=256', join(root, 'bin', 'pluginops.js'), o.command ?? 'validate', ...args];
  const timed = existsSync(timeBin) && o.signalWhen === undefined;
  const [cmd, ...argv] = timed ? [timeBin, '-v', ...node] : node;
  const t0 = Date.now();
  const child = spawn(cmd!, argv, { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const killer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 60_000);
  let runningAtSignal: boolean | undefined;
  let signalledAt = 0;
  void o.signalWhen?.then(() => {
    runningAtSignal = child.exitCode === null && child.signalCode === null;
    signalledAt = Date.now();
    child.kill('SIGTERM');
  });
  return new Promise((resolve) => child.on('close', (code, signal) => {
    clearTimeout(killer);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    resolve({ code, signal, stdout, stderr, ms: Date.now() - (signalledAt || t0), runningAtSignal, ...(rss ? { maxRssKb: Number(rss[1]) } : {}) });
  }));
}

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'pluginops-hostile-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function boundedFailure(r: Ran, located: RegExp, what: string): void {
  assert.is(r.code, 1, `${what}: exit ${r.code ?? r.signal}; stderr: ${r.stderr.slice(0, 500)}`);
  assert.match(r.stderr, located, what);
  assert.not.match(r.stderr, /FATAL ERROR|heap out of memory|\n\s+at /, `${what}: no crash or stack trace`);
  assert.ok(r.ms < 10_000, `${what}: took ${r.ms} ms; expected under 10 s`);
  if (r.maxRssKb !== undefined) assert.ok(r.maxRssKb < 300 * 1024, `${what}: maxRSS ${(r.maxRssKb / 1024).toFixed(0)} MB; expected under 300 MB`);
}

const raised = 'apiVersion: pluginops/v1\nkind: Project\ndocuments: [docs]\nlimits: { documentBytes: 8388608 }\n';

test('5 MiB of `[` is refused as too large at 1:1, quickly and in little memory', async () => {
  const d = dir({ 'big.yml': brackets(5 * MiB) });

  boundedFailure(await validate(d, ['big.yml']), /big\.yml:1:1: E_TOO_LARGE/, '5 MiB of [');
});

test('200k keys (5 MiB) are refused as too large at 1:1, quickly and in little memory', async () => {
  const d = dir({ 'keys.yml': manyKeys(200_000, 5 * MiB) });

  boundedFailure(await validate(d, ['keys.yml']), /keys\.yml:1:1: E_TOO_LARGE/, '200k keys');
});

test('with the size limit raised to 8 MiB, the pre-scan refuses 5 MiB of `[` at 1:65 and 200k keys at the key past the limit', async () => {
  const d = dir({ 'pluginops.yml': raised });
  mkdirSync(join(d, 'docs'));
  writeFileSync(join(d, 'docs', 'big.yml'), brackets(5 * MiB));
  writeFileSync(join(d, 'docs', 'keys.yml'), manyKeys(200_000, 5 * MiB));

  const r = await validate(d, []);

  boundedFailure(r, /docs\/big\.yml:1:65: E_TOO_DEEP/, 'raised limit, 5 MiB of [');
  assert.match(r.stderr, /docs\/keys\.yml:50001:9: E_TOO_MANY_NODES/);
});

test('a NUL byte in a workflow file is a located E_CONTROL_CHARACTER for validate and for run, never dropped', async () => {
  const d = dir({ 'nul.yml': 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: nul }\nspec:\n  steps:\n    - id: a\n      run: echo a\0b\n' });

  for (const command of ['validate', 'run']) {
    const r = await validate(d, ['nul.yml'], { command });

    assert.is(r.code, 1, `${command}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /nul\.yml:7:18: E_CONTROL_CHARACTER/, command);
    assert.not.match(r.stdout, /\bab\b/, `${command}: the script did not run with the NUL dropped`);
  }
});

test('SIGTERM during a long validate ends it promptly', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`f${String(i).padStart(3, '0')}.yml`] = manyKeys(3_000);
  const d = dir(files);
  // A named pipe sorted first: opening it for writing waits until validate opens it, so the
  // signal is sent once validate is reading files (its handlers are installed), not while it starts.
  const gate = join(d, '00-gate.yml');
  execFileSync('mkfifo', [gate]);
  const opened = open(gate, 'w').then(async (h) => { await h.write('a: 1\n'); await h.close(); await new Promise((r) => setTimeout(r, 300)); });

  const r = await validate(d, ['.'], { signalWhen: opened });

  assert.ok(r.runningAtSignal, `validate finished before the signal (exit ${r.code}): the test proves nothing; stderr: ${r.stderr.slice(0, 300)}`);
  assert.ok(r.ms < 3_000, `exited ${r.ms} ms after SIGTERM; expected within 3 s`);
  assert.is(r.code, 130, r.stderr.slice(0, 500));
  assert.match(r.stderr, /SIGTERM/);
  assert.match(r.stderr, /E_INTERRUPTED|stopped by SIGTERM/);
});

test.run();
