// Workflow-level notifications: receivers on loopback hear how a delivery ended, and a
// receiver that fails never changes the run's result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, deliveryProject } from './helpers.ts';

interface Received { path: string; headers: IncomingMessage['headers']; body: { type?: string; notification?: { status: string; workflow: string; plugin?: string; executionId: string } } }

async function receiver(status = 200) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => { text += c; });
    req.on('end', () => { got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text || '{}') as Received['body'] }); res.writeHead(status).end(); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { got, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

test('a completion payload reaches the webhook receiver, with a header from the environment', async () => {
  const hook = await receiver();
  const dir = deliveryProject('hello');
  writeFileSync(join(dir, 'pluginops.yml'), `apiVersion: pluginops/v1
kind: Project
channels:
  ops: { type: webhook, url: { env: OPS_HOOK }, headers: { authorization: { env: OPS_TOKEN } } }
defaults: { notifications: [ops] }
`);
  const r = await cli(['run', 'quick_deploy', '--plugin', 'plugins/hello', '-q'], dir, { env: { OPS_HOOK: `${hook.url}/hook`, OPS_TOKEN: 'Bearer s3cret' } });
  await hook.close();
  assert.is(r.code, 0, r.stderr);
  assert.is(hook.got.length, 1);
  const [msg] = hook.got;
  assert.is(msg!.path, '/hook');
  assert.is(msg!.headers.authorization, 'Bearer s3cret');
  assert.is(msg!.body.type, 'execution.finished');
  assert.equal([msg!.body.notification!.status, msg!.body.notification!.workflow, msg!.body.notification!.plugin], ['success', 'quick_deploy', 'plugins/hello']);
});

test('a failed run is notified as failed; a receiver refusing it leaves the run\'s result alone', async () => {
  const hook = await receiver(400);
  const dir = deliveryProject('broken-syntax');
  writeFileSync(join(dir, 'pluginops.yml'), `apiVersion: pluginops/v1
kind: Project
channels: { ops: { type: webhook, url: { env: OPS_HOOK } } }
defaults: { notifications: [ops] }
`);
  const r = await cli(['run', 'testing_only', '--plugin', 'plugins/broken-syntax', '-q'], dir, { env: { OPS_HOOK: hook.url } });
  await hook.close();
  assert.is(r.code, 1);
  assert.is(hook.got.length, 1); // a 4xx is not retried (retries on 5xx are covered on a virtual clock)
  assert.is(hook.got[0]!.body.notification!.status, 'failed');
  assert.match(r.stderr, /notification to ops failed/);
});

test.run();
