// THE crash test: a child process writes as fast as it can and is SIGKILLed at random moments;
// everything it was told is durable must be there, and the store must still read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileStore } from '../../src/store/file-store.ts';
import { fileLines, tempDir } from './helpers.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const child = join(root, 'test', 'store', 'fixtures', 'crash-child.ts');

interface Run {
  acks: Array<{ worker: number; i: number }>;
  delayMs: number;
}

/** Runs the child, kills it `delayMs` after its first ack, and returns every ack it printed. */
function runAndKill(dir: string, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    const guard = setTimeout(() => proc.kill('SIGKILL'), 8000);
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.includes('\nack ')) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || !armed) return reject(new Error(`child ended with ${code ?? signal}: ${err}`));
      const acks = [...out.matchAll(/^ack (\d+) (\d+)$/gm)].map((m) => ({ worker: Number(m[1]), i: Number(m[2]) }));
      resolve({ acks, delayMs });
    });
  });
}

test('SIGKILL at random moments loses no acknowledged update and leaves a readable store', async () => {
  const delays = [0, 5, 20, 60, 150].map((d) => d + Math.floor(Math.random() * 20));
  for (const delay of delays) {
    const dir = tempDir('pluginops-crash-');
    const run = await runAndKill(dir, delay);
    const context = `kill ${run.delayMs} ms after the first ack, ${run.acks.length} acks, dir ${dir}`;
    const store = await openFileStore(dir);

    const crashed = await store.get('crash-1');
    const done = await store.get('done-1');
    const logs = await store.logs('crash-1');

    assert.ok(run.acks.length > 0, context);
    assert.is(crashed?.status, 'interrupted', context);
    for (const { worker, i } of run.acks) {
      assert.is(crashed?.steps[`w${worker}-${i}`]?.outputs.i, String(i), `step w${worker}-${i} missing; ${context}`);
    }
    const logged = new Set(logs.map((l) => l.message));
    for (const { worker, i } of run.acks) assert.ok(logged.has(`w${worker} ${i}`), `log w${worker} ${i}; ${context}`);
    assert.is(done?.status, 'success', context);
    assert.equal(Object.keys(done?.steps ?? {}), ['a', 'b', 'c'], context);
    assert.equal((await store.logs('done-1')).map((l) => l.message), ['done'], context);
    assert.is(fileLines(join(dir, 'executions', 'done-1.jsonl')).length, 1, context);

    const text = readFileSync(join(dir, 'executions', 'crash-1.jsonl'), 'utf8');
    const unreadable = text.split('\n').filter((l) => l !== '' && !isJson(l));
    assert.ok(unreadable.length <= 1 && (unreadable.length === 0 || !text.endsWith('\n')), `torn lines ${unreadable.length}`);
    assert.equal(await store.recover(), ['crash-1'], context);
    assert.is((await store.get('crash-1'))?.status, 'interrupted', context);
    await store.close();
    rmSync(dir, { recursive: true, force: true }); // kept when an assertion fails, for a look
  }
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

test.run();
