// A notification is masked on its way out: whatever text it carries (an incident's check error,
// a step's message), the channel receives no secret — here a webhook on loopback, for both a
// multi-line key and a password behind a basic-auth prefix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deliver } from '../../src/notify/deliver.ts';
import { masker } from '../../src/engine/mask.ts';
import type { StepMessage } from '../../src/notify/message.ts';
import { drive, startReceiver, testDeps } from '../notify/helpers.ts';

const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ2q7m1n5bQpYV3zX8d1F0aZr7tL9wq2s3x4c5v6b7n8\n-----END PRIVATE KEY-----';
const password = 'correct-horse-battery';

test('every text of a notification is masked before any channel sees it', async () => {
  const deps = { ...testDeps(), mask: masker([key, password]) };
  const receiver = await startReceiver(deps.clock);
  const message: StepMessage = {
    kind: 'step.message', severity: 'warning', executionId: 'e1', step: 'probe', at: '2026-01-01T00:00:00.000Z',
    title: `probe failed with ${password}`,
    text: `key line: ${key.split('\n')[1]}\nheader: Basic ${Buffer.from(`ops:${password}`).toString('base64')}`,
  };
  const result = await drive(deps.clock, deliver('ops', { type: 'webhook', url: receiver.url }, message, deps));
  await receiver.close();
  assert.ok(result.ok, JSON.stringify(result));
  const body = receiver.requests[0]!.body;
  assert.match(body, /probe failed with \*\*\*/);
  assert.match(body, /key line: \*\*\*/);
  assert.not.ok(body.includes(password));
  assert.not.ok(body.includes(key.split('\n')[1]!));
  assert.not.ok(body.includes(Buffer.from(`ops:${password}`).toString('base64').slice(4, -4)));
});

test.run();
