// Running a health check or evaluating a rule by an id the configuration does not have is a
// coded not-found error (the API answers it 404), and nothing is run or recorded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromThrown } from '../../src/api/errors.ts';
import { PluginopsError } from '../../src/errors/base.ts';
import { UnknownMonitorIdError } from '../../src/monitor/runtime/monitor.ts';
import { apiDown, world } from './helpers.ts';

test('runCheck and evaluateRule of an unknown id: UnknownMonitorIdError, E_NOT_FOUND, a 404 at the API', async () => {
  const w = await world({ documents: apiDown() });
  try {
    const checks = w.monitor.checks().length;
    for (const [call, text] of [[() => w.monitor.runCheck('nope'), 'no HealthCheck `nope`'], [() => w.monitor.evaluateRule('nope'), 'no AlertRule `nope`']] as const) {
      const e = await call().then(() => undefined, (x: unknown) => x);

      assert.ok(e instanceof UnknownMonitorIdError && e instanceof PluginopsError, String(e));
      assert.is(e.message, text);
      assert.is(e.code, 'E_NOT_FOUND');
      assert.is(e.kind, 'not_found');
      assert.is(fromThrown(e)?.status, 404);
    }
    assert.is(w.monitor.checks().length, checks);
    assert.equal(w.monitor.alerts(), []);
  } finally {
    await w.close();
  }
});

test.run();
