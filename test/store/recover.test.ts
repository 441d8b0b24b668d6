// Owner liveness by pid, and recovery's mark in the execution's file (what every store does on
// recovery: contract/).
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

test('recover() rewrites the orphan\'s file as one snapshot line, interrupted', async () => {
  const dir = tempDir();
  const store = await openFileStore(dir, { now: () => new Date('2026-01-01T00:10:00Z') });
  const orphan = execution('orphan', {
    status: 'running', startedAt: '2026-01-01T00:00:00Z', owner: { pid: deadPid(), host: hostname() },
  });
  const file = join(dir, 'executions', 'orphan.jsonl');
  writeFileSync(file, `${JSON.stringify({ type: 'created', record: orphan })}\n`);

  const seen = await store.get('orphan');
  const linesBefore = fileLines(file).length;
  const recovered = await store.recover();
  const lines = fileLines(file);

  assert.is(seen?.status, 'interrupted', 'read as interrupted before anything is written');
  assert.is(linesBefore, 1);
  assert.equal(recovered, ['orphan']);
  assert.is(lines.length, 1);
  assert.is(JSON.parse(lines[0] ?? '').type, 'snapshot');
  assert.is(JSON.parse(lines[0] ?? '').record.status, 'interrupted');
  await store.close();
});

test.run();
