// The CLI on a project whose store is PostgreSQL (`store.postgres`), as users start it
// (bin/pluginops.js: the bundle once built): a run is recorded in the database, the read
// commands answer from it, and without the URL's variable the commands stop with a clear error
// instead of falling back to the embedded store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/pg/db.ts';
import { freshDatabase } from '../pg/cluster.ts';
import { project, root, workflow, type CliRun } from './helpers.ts';

function pluginops(argv: string[], cwd: string, env: Record<string, string>): Promise<CliRun> {
  const child = spawn(process.execPath, [join(root, 'bin', 'pluginops.js'), ...argv], {
    cwd, env: { ...process.env, CI: 'true', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })));
}

const variable = 'PLUGINOPS_CLI_TEST_DATABASE_URL';
const files = {
  'pluginops.yml': `apiVersion: pluginops/v1\nkind: Project\nstore:\n  postgres:\n    url: { env: ${variable} }\n`,
  'hello.yml': workflow('hello', '    - id: greet\n      run: echo hello from postgres\n'),
};

test('run records its execution in PostgreSQL; executions list, show and stats read it from there', async () => {
  const url = await freshDatabase('cli');
  const dir = project(files);
  const env = { [variable]: url };

  const run = await pluginops(['run', 'hello.yml', '--quiet'], dir, env);
  const listed = await pluginops(['executions', 'list', '--json'], dir, env);
  const executions = JSON.parse(listed.stdout) as Array<{ id: string; workflow: string; status: string; steps: Record<string, { status: string }> }>;
  const shown = await pluginops(['executions', 'show', executions[0]?.id ?? 'none', '--json'], dir, env);
  const stats = await pluginops(['stats', '--json'], dir, env);

  assert.is(run.code, 0, run.stderr);
  assert.is(listed.code, 0, listed.stderr);
  assert.equal(executions.map((e) => [e.workflow, e.status, e.steps.greet?.status]), [['hello', 'success', 'success']]);
  assert.is(shown.code, 0, shown.stderr);
  assert.is(JSON.parse(shown.stdout).id, executions[0]?.id);
  assert.is(JSON.parse(stats.stdout).total, 1);
  const db = await openDb(url);
  try {
    const rows = await db.query<{ id: string; status: string; owner: string }>('SELECT id, status, owner FROM executions');
    assert.equal(rows.map((r) => [r.id, r.status]), [[executions[0]?.id, 'success']]);
    assert.match(rows[0]?.owner ?? '', /^cli-.+-\d+$/);
    const logs = await db.query<{ message: string }>("SELECT record->>'message' AS message FROM execution_logs WHERE execution = $1", [rows[0]?.id]);
    assert.ok(logs.some((l) => l.message.includes('hello from postgres')), JSON.stringify(logs));
    const replicas = await db.query<{ stopped: boolean }>("SELECT stopped_at IS NOT NULL AS stopped FROM replicas WHERE id LIKE 'cli-%'");
    assert.ok(replicas.length > 0 && replicas.every((r) => r.stopped), 'each CLI process left its replica stopped');
  } finally { await db.close(); }
  assert.not.ok(existsSync(join(dir, '.pluginops', 'executions')), 'nothing was written to the embedded store');
});

test('with the URL\'s variable unset, run and executions list stop with a clear error and a non-zero exit', async () => {
  const dir = project(files);
  const env = { [variable]: '' };

  const run = await pluginops(['run', 'hello.yml'], dir, env);
  const listed = await pluginops(['executions', 'list', '--json'], dir, env);

  for (const r of [run, listed]) {
    assert.ok(r.code !== 0, `exit ${r.code}`);
    assert.match(r.stderr, `${variable} (store.postgres.url) is not set`);
    assert.not.match(r.stderr, /at .+\.ts:\d+/, 'no stack trace');
  }
  assert.is(listed.stdout, '');
  assert.not.ok(existsSync(join(dir, '.pluginops', 'executions')), 'no fallback to the embedded store');
});

test.run();
