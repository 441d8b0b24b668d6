// The approval step run by hand with a StepContext whose approvals edge is a fake that records
// what it is asked: which channels hear about the wait (the step's own, the project's default
// notifications, else the monitoring channels, else none), and what the request carries.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import { VirtualClock } from '../../src/engine/clock.ts';
import type { Spawner } from '../../src/engine/process/spawn.ts';
import { approvalStep } from '../../src/steps/approval/index.ts';
import { SuspendRun, emptyScope, type ApprovalRequest, type StepContext } from '../../src/engine/step.ts';
import type { LogLevel } from '../../src/store/types.ts';

type Inputs = Parameters<typeof approvalStep.handler>[0]['inputs'];

const noSpawn: Spawner = () => { throw new Error('the approval step starts no process'); };
const t0 = Date.parse('2026-12-01T08:00:00.000Z');

function harness(inputs: Inputs, config: Partial<ProjectDoc> = {}) {
  const requests: ApprovalRequest[] = [];
  const logs: Array<{ level: LogLevel | undefined; message: string }> = [];
  const scope = emptyScope('/project');
  scope.project.config = { ...scope.project.config, ...config };
  const signal = new AbortController().signal;
  const ctx: StepContext<Inputs> = {
    executionId: 'run-7', stepId: 'gate', inputs, env: { SLACK_URL: 'https://hooks.example/x' }, workspace: '/project', signal, attempt: 1,
    edges: {
      clock: new VirtualClock(t0), spawn: noSpawn, fetch: () => Promise.reject(new Error('the step fetches nothing itself')), killGraceMs: 1_000,
      approvals: {
        async request(r) {
          requests.push(r);
          r.log('could not ask ops for approval: down', 'warn');
        },
      },
    },
    scope,
    log: (message, level) => { logs.push({ level, message }); },
    setOutput: () => { throw new Error('a waiting step has no outputs'); },
    addArtifact: () => { throw new Error('the approval step records no artifact'); },
    scratchDir: () => Promise.reject(new Error('not needed')),
    workflow: { id: 'scale', name: 'Scale workers' },
  };
  return { ctx, requests, logs, signal };
}

async function suspended(ctx: StepContext<Inputs>): Promise<SuspendRun> {
  const thrown = await approvalStep.handler(ctx).then(() => undefined, (e: unknown) => e);
  assert.instance(thrown, SuspendRun);
  return thrown as SuspendRun;
}

test('the step asks its channels through the approvals edge, with the record it suspends the run with', async () => {
  const h = harness({ channels: ['ops'], approvers: ['lead'], timeout: '30m', title: 'Scale now?' });
  const stop = await suspended(h.ctx);
  assert.is(h.requests.length, 1);
  const [r] = h.requests;
  assert.equal(r!.channels, ['ops']);
  assert.is(r!.approval, stop.approval, 'the same record the run waits on');
  assert.is(r!.executionId, 'run-7');
  assert.is(r!.plan, 'scale');
  assert.is(r!.env, h.ctx.env);
  assert.is(r!.signal, h.signal);
  assert.equal(h.logs, [{ level: 'warn', message: 'could not ask ops for approval: down' }], "the edge's log is the step's");
  assert.equal(stop.approval.channels, ['ops']);
  assert.is(stop.approval.title, 'Scale now?');
  assert.is(stop.approval.requestedAt, new Date(t0).toISOString());
  assert.is(stop.approval.deadline, new Date(t0 + 30 * 60_000).toISOString());
});

const channelCases: Array<[string, Inputs, Partial<ProjectDoc>, string[] | undefined]> = [
  ["the step's own channels win", { channels: ['ops'] }, { defaults: { notifications: ['team'] } }, ['ops']],
  ["the project's default notifications", {}, { defaults: { notifications: ['team'] }, monitoring: { notify: ['oncall'] } }, ['team']],
  ['else the monitoring channels', {}, { monitoring: { notify: ['oncall'] } }, ['oncall']],
  ['no channel anywhere: nobody is asked', {}, {}, undefined],
  ['an empty list: nobody is asked', { channels: [] }, { defaults: { notifications: ['team'] } }, undefined],
];
for (const [name, inputs, config, channels] of channelCases) {
  test(`channels: ${name}`, async () => {
    const h = harness(inputs, config);
    const stop = await suspended(h.ctx);
    assert.equal(h.requests.map((r) => r.channels), channels ? [channels] : []);
    assert.equal(stop.approval.channels, channels);
  });
}

test('no step type reaches into the runs: approvals go through the edge', () => {
  const steps = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'steps');
  const files = readdirSync(steps, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(files.includes(join('approval', 'index.ts')));
  const offenders = files.filter((f) => /from '(\.\.\/)+runs\//.test(readFileSync(join(steps, f), 'utf8')));
  assert.equal(offenders, []);
});

test.run();
