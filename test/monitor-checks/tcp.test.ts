// The TCP probe against a real listener on loopback and a port nobody listens on.
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCheck } from '../../src/monitor/checks/run.ts';
import { closedPort, realEdges } from './helpers.ts';

test('an open port is connected and passes the default condition', async () => {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const r = await runCheck({ type: 'tcp', host: '127.0.0.1', port, timeout: '2s' }, realEdges());
    assert.is(r.ok, true);
    assert.is(r.fields.connected, true);
    assert.type(r.fields.responseTime, 'number');
    assert.equal(r.conditions, [{ expression: 'connected', ok: true }]);
    assert.is(r.error, undefined);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a closed port is not connected and not ok', async () => {
  const port = await closedPort();
  const r = await runCheck({ type: 'tcp', host: '127.0.0.1', port, timeout: '2s' }, realEdges());
  assert.is(r.ok, false);
  assert.is(r.fields.connected, false);
  assert.match(r.error ?? '', /could not connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  assert.equal(r.conditions, [{ expression: 'connected', ok: false }]);
});

test('a missing host is a failed check, not a throw', async () => {
  const r = await runCheck({ type: 'tcp', port: 80 }, realEdges());
  assert.is(r.ok, false);
  assert.match(r.error ?? '', /needs `host` and `port`/);
});

test.run();
