// The `notify` step run by hand with a StepContext: its input schema, the delivered/failed
// outputs, its log lines, and `required`, which turns a failed delivery into a step failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstProblem } from '../../src/documents/schema-check.ts';
import type { ProjectDoc } from '../../src/documents/schema/project.ts';
import type { Spawner } from '../../src/engine/process/spawn.ts';
import { notifyStep } from '../../src/steps/notify/index.ts';
import { StepFailure, emptyScope, type StepContext } from '../../src/engine/step.ts';
import type { LogLevel } from '../../src/store/types.ts';
import { drive, parse, startReceiver, testDeps, type Receiver } from './helpers.ts';

type Inputs = Parameters<typeof notifyStep.handler>[0]['inputs'];

const noSpawn: Spawner = () => { throw new Error('the notify step starts no process'); };

function stepContext(inputs: Inputs, channels: ProjectDoc['channels'], env: Record<string, string>) {
  const deps = testDeps();
  const scope = emptyScope('/project');
  scope.project.config.channels = channels;
  const outputs: Record<string, string> = {};
  const logs: Array<{ level: LogLevel; message: string }> = [];
  const ctx: StepContext<Inputs> = {
    executionId: 'exec-1', stepId: 'tell', inputs, env, workspace: '/project', signal: new AbortController().signal, attempt: 1,
    edges: { clock: deps.clock, spawn: noSpawn, fetch: globalThis.fetch, killGraceMs: 1_000, approvals: { request: () => Promise.reject(new Error('the notify step asks for no approval')) } },
    scope,
    log: (message, level = 'info') => { logs.push({ level, message }); },
    setOutput: (name, value) => { outputs[name] = value; },
    addArtifact: () => { throw new Error('the notify step records no artifact'); },
    scratchDir: () => Promise.reject(new Error('not needed')),
    workflow: { id: 'wf', name: 'wf' },
  };
  return { ctx, outputs, logs, clock: deps.clock };
}

let receiver: Receiver;
const channelsOf = (r: Receiver): ProjectDoc['channels'] => ({
  hook: { type: 'webhook', url: `${r.url}/hook` },
  team: { type: 'slack', webhookUrl: { env: 'SLACK_URL' } },
  broken: { type: 'webhook', url: `${r.url}/broken` },
});

test.before(async () => {
  receiver = await startReceiver({ now: () => 0 }, (req) => (req.path === '/broken' ? { status: 400, body: 'no' } : { status: 200, body: 'ok' }));
});
test.before.each(() => { receiver.requests.length = 0; });
test.after(() => receiver.close());

const inputCases: Array<[string, unknown, RegExp | undefined]> = [
  ['channels and title', { channels: ['hook'], title: 'Deployed' }, undefined],
  ['every input', { channels: ['hook'], title: 'Deployed', text: 'v1.2.0', severity: 'critical', required: true }, undefined],
  ['no channel', { channels: [], title: 'Deployed' }, /channels/],
  ['no title', { channels: ['hook'] }, /title/],
  ['an unknown severity', { channels: ['hook'], title: 't', severity: 'error' }, /severity/],
  ['an unknown input', { channels: ['hook'], title: 't', colour: 'red' }, /colour/],
];
for (const [name, inputs, problem] of inputCases) {
  test(`inputs: ${name} ${problem ? 'is refused' : 'is accepted'}`, () => {
    const found = firstProblem(notifyStep.inputs, inputs, 'with');
    if (problem) assert.match(found ?? '', problem);
    else assert.is(found, undefined);
  });
}

test('sends to every channel, outputs the counts and logs each result', async () => {
  const { ctx, outputs, logs, clock } = stepContext(
    { channels: ['hook', 'team'], title: 'Deployed acme 1.2.0', text: 'to production', severity: 'success' },
    channelsOf(receiver), { SLACK_URL: `${receiver.url}/slack` },
  );

  await drive(clock, notifyStep.handler(ctx));

  assert.equal(outputs, { delivered: '2', failed: '0' });
  assert.equal(logs.map((l) => l.message).sort(), ['notified hook (webhook)', 'notified team (slack)']);
  const hook = parse(receiver.requests.find((r) => r.path === '/hook'));
  assert.equal(hook, {
    version: '1', type: 'step.message', text: 'Deployed acme 1.2.0: to production',
    notification: {
      kind: 'step.message', title: 'Deployed acme 1.2.0', text: 'to production', severity: 'success',
      executionId: 'exec-1', step: 'tell', at: '2025-01-01T00:00:00.000Z',
    },
  });
  const slack = parse(receiver.requests.find((r) => r.path === '/slack'));
  assert.is(slack.text, 'Deployed acme 1.2.0: to production');
  assert.equal((slack.attachments as Array<{ color: string }>)[0]?.color, '#2eb67d');
});

test('severity defaults to info', async () => {
  const { ctx, clock } = stepContext({ channels: ['hook'], title: 'Hello' }, channelsOf(receiver), {});

  await drive(clock, notifyStep.handler(ctx));

  assert.is((parse(receiver.requests[0]).notification as { severity: string }).severity, 'info');
});

test('failed deliveries are counted and logged, and the step still succeeds', async () => {
  const { ctx, outputs, logs, clock } = stepContext(
    { channels: ['hook', 'broken', 'team', 'missing'], title: 'Deployed' }, channelsOf(receiver), {},
  );

  await drive(clock, notifyStep.handler(ctx));

  assert.equal(outputs, { delivered: '1', failed: '3' });
  assert.equal(logs.filter((l) => l.level === 'warn').map((l) => l.message).sort(), [
    'could not notify broken (webhook): HTTP 400: no',
    'could not notify missing: there is no channel "missing" under channels: in the project file (known: hook, team, broken)',
    'could not notify team (slack): the Slack webhook URL comes from the environment variable SLACK_URL, which is not set',
  ]);
});

test('required: a failed delivery fails the step, after the outputs are set', async () => {
  const { ctx, outputs, clock } = stepContext({ channels: ['hook', 'broken'], title: 'Deployed', required: true }, channelsOf(receiver), {});

  const error = await drive(clock, notifyStep.handler(ctx)).then(() => undefined, (e: unknown) => e);

  assert.instance(error, StepFailure);
  assert.is((error as StepFailure).message, '1 of 2 notifications not delivered: broken: HTTP 400: no');
  assert.equal(outputs, { delivered: '1', failed: '1' });
});

test('required with every delivery made: the step succeeds', async () => {
  const { ctx, outputs, clock } = stepContext({ channels: ['hook'], title: 'Deployed', required: true }, channelsOf(receiver), {});

  await drive(clock, notifyStep.handler(ctx));

  assert.equal(outputs, { delivered: '1', failed: '0' });
  assert.is(receiver.requests.length, 1);
});

test.run();
