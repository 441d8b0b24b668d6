import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, cliProcess, project, workflow } from './helpers.ts';

const steps = `    - id: greet
      run: |
        echo hello
        echo "test_greets ... ok" >&2
        echo >&2
        echo OK >&2
    - id: check
      needs: [greet]
      run: |
        for i in $(seq 1 25); do echo "frame $i" >&2; done
        echo "AssertionError: 1 != 2" >&2
        exit 1
    - id: deploy
      needs: [check]
      run: echo deployed
`;

test('run: progress on stdout, failures and their summary on stderr; stderr of a step is not a warning', async () => {
  const dir = project({ 'pipelines/ship.yml': workflow('ship', steps) });
  const r = await cliProcess(['run', 'ship'], dir).done;
  assert.is(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes('[greet] hello\n[greet] test_greets ... ok\n[greet]\n[greet] OK\n'), r.stdout);
  assert.not.match(r.stdout, /warn/);
  assert.not.match(r.stdout, /failed/);
  assert.match(r.stdout, /\[deploy\] skipped/);
  const id = /execution (\S+) started/.exec(r.stdout)![1]!;
  assert.match(r.stderr, /^\[check\] failed in \S+: the script exited with code 1$/m);
  assert.match(r.stderr, new RegExp(`^execution ${id} failed in `, 'm'));
  assert.match(r.stderr, /^failed: check: the script exited with code 1\n {2}last 20 lines of its output:\n {4}frame 7\n/m);
  assert.match(r.stderr, /^ {4}AssertionError: 1 != 2\n/m);
  assert.not.match(r.stderr, /frame 6\n/);
  assert.ok(r.stderr.includes(`  full log: pluginops executions logs ${id} --step check\n`), r.stderr);

  const log = await cli(['executions', 'logs', id, '--step', 'check'], dir);
  assert.is(log.code, 0, log.stderr);
  assert.match(log.stdout, /\[check\] frame 1\n/);
  assert.not.match(log.stdout, /\[greet\]/);
  const unknown = await cli(['executions', 'logs', id, '--step', 'nope'], dir);
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /has no step "nope"/);
});

test('run: debug lines only with --verbose (or PLUGINOPS_DEBUG / RUNNER_DEBUG=1)', async () => {
  const dir = project({
    'pipelines/scan.yml': workflow('scan', '    - id: scan\n      uses: plugin/security-scan\n'),
    'plugin/plugin.json': JSON.stringify({ id: 'p', name: 'p', version: '1.0.0' }),
    'plugin/node_modules/x/index.js': 'module.exports = 1;\n',
  });
  const quiet = await cli(['run', 'scan', '--plugin', 'plugin'], dir);
  assert.not.match(quiet.stdout, /debug:/, quiet.stdout);
  const verbose = await cli(['run', 'scan', '--plugin', 'plugin', '--verbose'], dir);
  assert.match(verbose.stdout, /\[scan\] debug: /, verbose.stdout + verbose.stderr);
  const env = await cli(['run', 'scan', '--plugin', 'plugin'], dir, { env: { RUNNER_DEBUG: '1' } });
  assert.match(env.stdout, /\[scan\] debug: /);
});

test.run();
