// A run killed with SIGKILL reads truthfully: the execution is interrupted, and so is the step
// that was in flight; steps that had finished keep their status and the ones never started stay
// pending. Seen through the CLI (show, list --json), the store, and the file once recovered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { readExecutionFile } from '../../src/store/read.ts';
import { openFileStore } from '../../src/store/file-store.ts';
import { cli, cliProcess, pidFile, project, until, workflow } from '../cli/helpers.ts';

const slow = workflow('slow', `    - id: first
      run: echo done first
    - id: long
      needs: [first]
      run: |
        echo started
        sleep 30 &
        echo $! > child.pid
        wait
    - id: after
      needs: [long]
      run: echo never
`);



test('after SIGKILL the execution and its in-flight step read interrupted; finished steps keep their status', async () => {
  const dir = project({ 'slow.yml': slow });
  const run = cliProcess(['run', 'slow.yml'], dir);
  // Killed once the store records the long step as running (and its process started).
  await until(async () => {
    if (pidFile(dir) === undefined) return false;
    const [r] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ steps: Record<string, { status: string }> }>;
    return r?.steps.long?.status === 'running';
  });
  run.child.kill('SIGKILL');
  await run.done;
  try { process.kill(pidFile(dir)!, 'SIGKILL'); } catch { /* gone */ }

  const [listed] = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as Array<{ id: string; status: string }>;
  const id = listed!.id;
  assert.is(listed!.status, 'interrupted');

  const shown = await cli(['executions', 'show', id], dir);
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /status\s+interrupted/, shown.stdout);
  assert.match(shown.stdout, /long\s+interrupted/, shown.stdout);
  assert.match(shown.stdout, /first\s+success/);
  assert.not.match(shown.stdout, /^\s+\S+\s+running /m);

  const json = JSON.parse((await cli(['executions', 'show', id, '--json'], dir)).stdout) as { status: string; steps: Record<string, { status: string; error?: string }> };
  assert.is(json.status, 'interrupted');
  assert.equal(Object.fromEntries(Object.entries(json.steps).map(([k, s]) => [k, s.status])), { first: 'success', long: 'interrupted', after: 'pending' });
  assert.is(json.steps.long!.error, 'the process running it stopped');

  // The store as a library reads the same, and recovery (the CLI's commands run it) wrote it
  // into the file itself.
  const store = await openFileStore(join(dir, '.pluginops'));
  assert.is((await store.get(id))?.steps.long?.status, 'interrupted');
  await store.recover();
  await store.close();
  const file = join(dir, '.pluginops', 'executions', `${id}.jsonl`);
  const stored = await readExecutionFile(file);
  assert.is(stored?.status, 'interrupted');
  assert.equal(Object.fromEntries(Object.entries(stored!.steps).map(([k, s]) => [k, s.status])), { first: 'success', long: 'interrupted', after: 'pending' });
});

test.run();
