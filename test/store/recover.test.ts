// Owner liveness and recovery: executions left running by a dead process read as interrupted,
// and recover() records it durably.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../../src/store/file-store.ts';
import { currentOwner, isOwnerAlive, processStartTime } from '../../src/store/owner.ts';
import { execution, fileLines, tempDir } from './helpers.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid ?? -1;
}

test('owner liveness: self alive, dead pid, recycled pid and other hosts', () => {
  const self = currentOwner();
  const dead = deadPid();

  assert.is(self.pid, process.pid);
  assert.is(self.host, hostname());
  if (process.platform === 'linux') assert.match(self.startTime ?? '', /^\d+$/);
  assert.is(processStartTime(process.pid), self.startTime);
  assert.ok(isOwnerAlive(self));
  assert.not.ok(isOwnerAlive({ pid: dead, host: hostname() }));
  if (process.platform === 'linux') assert.not.ok(isOwnerAlive({ ...self, startTime: '1' }), 'pid reused');
  assert.ok(isOwnerAlive({ pid: dead, host: 'another-host' }), 'cannot tell on another host');
  assert.ok(isOwnerAlive(undefined));
});

test('an execution left running by a dead owner reads as interrupted; recover() records it', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir, { now: () => new Date('2026-01-01T00:10:00Z') });
  await store.create(execution('mine'));
  await store.update('mine', { type: 'status', status: 'running', at: '2026-01-01T00:00:00Z' });
  const orphan = execution('orphan', {
    status: 'running', startedAt: '2026-01-01T00:00:00Z', owner: { pid: deadPid(), host: hostname() },
  });
  const file = join(dir, 'executions', 'orphan.jsonl');
  writeFileSync(file, `${JSON.stringify({ type: 'created', record: orphan })}\n`);

  const seen = await store.get('orphan');
  const listed = (await store.list({ status: 'interrupted' })).map((r) => r.id);
  const linesBefore = fileLines(file).length;
  const recovered = await store.recover();
  const again = await store.recover();
  const stored = await store.get('orphan');

  assert.is(seen?.status, 'interrupted');
  assert.is(seen?.error, 'the process running it stopped');
  assert.equal(listed, ['orphan']);
  assert.is(linesBefore, 1);
  assert.equal(recovered, ['orphan']);
  assert.equal(again, []);
  assert.is(stored?.status, 'interrupted');
  assert.is(stored?.endedAt, '2026-01-01T00:10:00.000Z');
  assert.is(stored?.durationMs, 600_000);
  assert.is(JSON.parse(fileLines(file)[0] ?? '').record.status, 'interrupted');
  assert.is((await store.get('mine'))?.status, 'running');
  await store.close();
});

test.run();
