// Finding runs by plugin: its manifest id (recorded on the execution), its directory as typed,
// or a plan's `plugin` parameter; through the CLI and the API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, cliProcess, project, workflow } from './helpers.ts';
import { startApi, tokens } from '../api/helpers.ts';
import { isPlugin } from '../../src/store/query.ts';

const manifest = JSON.stringify({ id: 'hello', name: 'Hello', version: '1.0.0', runtime: 'python', entry: 'backend/plugin.py' });
const plan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: restart }
spec:
  category: system
  parameters: { plugin: { type: string, required: true } }
  steps:
    - id: restart
      run: echo restarting
`;

test('executions list --plugin finds a run by the manifest id and by the directory; --plans shows a plan\'s plugin parameter', async () => {
  const dir = project({
    'pipelines/check.yml': workflow('check', '    - id: a\n      run: echo hi\n'),
    'pipelines/restart.yml': plan,
    'examples/plugins/hello/config/plugin.json': manifest,
    'examples/plugins/hello/backend/plugin.py': 'print("hi")\n',
  });
  const ran = await cliProcess(['run', 'check', '--plugin', 'examples/plugins/hello'], dir).done;
  assert.is(ran.code, 0, ran.stderr);
  for (const name of ['hello', 'examples/plugins/hello', './examples/plugins/hello/']) {
    const r = await cliProcess(['executions', 'list', '--plugin', name], dir).done;
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /success\s+check\s+hello\s/, `--plugin ${name}: ${r.stdout}`);
  }
  const none = await cli(['executions', 'list', '--plugin', 'other'], dir);
  assert.is(none.stdout, 'no executions\n');

  const restart = await cli(['run', 'restart', '-p', 'plugin=payments', '--quiet'], dir);
  assert.is(restart.code, 0, restart.stderr);
  const plans = await cliProcess(['executions', 'list', '--plans'], dir).done;
  assert.match(plans.stdout, /success\s+restart\s+payments\s/, plans.stdout);
  const byParam = await cli(['executions', 'list', '--plugin', 'payments', '--json'], dir);
  assert.equal((JSON.parse(byParam.stdout) as Array<{ workflow: string }>).map((e) => e.workflow), ['restart']);
});

test('GET /api/executions?plugin= matches the manifest id', async () => {
  const h = await startApi({ files: { 'examples/plugins/hello/config/plugin.json': manifest, 'examples/plugins/hello/backend/plugin.py': 'print("hi")\n' } });
  try {
    const ran = await cli(['run', 'quick', '--plugin', 'examples/plugins/hello', '--quiet'], h.dir);
    assert.is(ran.code, 0, ran.stderr);
    const r = await h.call('GET', '/api/executions?plugin=hello', { token: tokens.read });
    assert.is(r.status, 200, r.text);
    const items = r.body.data as Array<{ workflow: string; plugin?: string }>;
    assert.equal(items.map((e) => [e.workflow, e.plugin]), [['quick', 'examples/plugins/hello']]);
  } finally {
    await h.close();
  }
});

test('isPlugin: id, path with or without ./ and a trailing slash, plan parameter', () => {
  const r = { plugin: 'plugins/hello', pluginId: 'hello', parameters: {} };
  assert.ok(isPlugin(r, 'hello'));
  assert.ok(isPlugin(r, './plugins/hello/'));
  assert.not.ok(isPlugin(r, 'hell'));
  assert.ok(isPlugin({ parameters: { plugin: 'payments' } }, 'payments'));
});

test.run();
