// The risk approval policy with real runs through the CLI: a workflow with
// `risk.requireApproval: high` gets a `risk-approval` step before its deploy; with a history that
// makes the run high risk it stops there, waiting (exit 75), until someone approves; with a steady
// history or too little of it, the step passes at once and the plugin is deployed. Every record
// keeps the risk it was assessed at.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openFileStore } from '../../src/store/file-store.ts';
import type { ExecutionRecord } from '../../src/store/types.ts';
import { cli, project, root } from '../cli/helpers.ts';
import { hourMs, record, type RunSpec } from './history.ts';

const ship = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: ship, name: Ship }
spec:
  risk: { requireApproval: high }
  steps:
    - id: build
      uses: plugin/build
    - id: deploy
      uses: plugin/deploy
      needs: [build]
      with:
        archive: \${{ steps.build.outputs.archive }}
        sha256: \${{ steps.build.outputs.sha256 }}
`;

/** A project with the `ship` workflow, the hello plugin, and a store holding `history` (one run an hour, the newest an hour ago). */
async function world(history: RunSpec[]): Promise<string> {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', 'pipelines/ship.yml': ship });
  cpSync(join(root, 'examples/plugins/hello'), join(dir, 'plugins/hello'), { recursive: true });
  const store = await openFileStore(join(dir, '.pluginops'));
  const first = Date.now() - (history.length + 1) * hourMs;
  try {
    for (const [i, spec] of history.entries()) await store.create(record({ workflow: 'ship', plugin: 'hello', ...spec }, first + i * hourMs, i));
  } finally {
    await store.close();
  }
  return dir;
}

const runs = (n: number, status: RunSpec['status']): RunSpec[] => Array.from({ length: n }, () => ({ status }));
const deployed = (dir: string) => existsSync(join(dir, '.pluginops/deployments/hello')) && readdirSync(join(dir, '.pluginops/deployments/hello')).length > 0;
const as = (name: string) => ({ env: { PLUGINOPS_USER: name } });

async function show(dir: string, id: string): Promise<ExecutionRecord> {
  const r = await cli(['executions', 'show', id, '--json'], dir);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ExecutionRecord;
}

/** The id of the newest run of `ship` (the seeded ones are `run-NNNN`). */
async function newest(dir: string): Promise<ExecutionRecord> {
  const r = await cli(['executions', 'list', '--json', '--limit', '100'], dir);
  const started = (JSON.parse(r.stdout) as ExecutionRecord[]).filter((e) => !e.id.startsWith('run-'));
  assert.is(started.length, 1, 'one run started');
  return show(dir, started[0]!.id);
}

test('plan (the dry run) lists the risk-approval step before the deploy', async () => {
  const dir = await world([]);

  const text = await cli(['plan', 'ship'], dir);
  const json = await cli(['plan', 'ship', '--format', 'json'], dir);

  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, /^ +2\. risk-approval +\w+ +approval /m);
  assert.match(text.stdout, /^ +3\. deploy +\w+ +plugin\/deploy /m);
  const rows = (JSON.parse(json.stdout) as { steps: Array<{ step: string; kind: string }> }).steps;
  assert.equal(rows.map((r) => [r.step, r.kind]), [['build', 'plugin/build'], ['risk-approval', 'approval'], ['deploy', 'plugin/deploy']]);
});

test('a high-risk run waits at risk-approval (exit 75) with nothing deployed; approving deploys it', async () => {
  const dir = await world(runs(20, 'failed'));

  const r = await cli(['run', 'ship', '--plugin', 'plugins/hello'], dir, as('alice'));

  assert.is(r.code, 75, r.stderr + r.stdout);
  assert.match(r.stderr, /^risk: high \(score 0\.\d\d, /m);
  assert.match(r.stderr, /waits for approval at step risk-approval/);
  assert.not.ok(deployed(dir), 'nothing deployed before the approval');
  const waiting = await newest(dir);
  assert.is(waiting.status, 'waiting');
  assert.is(waiting.steps.build!.status, 'success');
  assert.is(waiting.steps.deploy!.status, 'pending');
  const approval = waiting.approvals!['risk-approval']!;
  assert.is(approval.status, 'waiting');
  assert.is(approval.title, 'Deploy Ship at high risk?');
  assert.match(approval.message!, /^The run's failure risk is high \(score 0\.\d+\): .*step deploy failed 20 of the last 20 times it ran/);
  assert.is(waiting.risk!.level, 'high');
  assert.ok(waiting.risk!.factors.some((f) => f.name === 'pluginFailures' && f.value === 1), 'the plugin failed every recent run');

  const approved = await cli(['approve', waiting.id, '--as', 'bob'], dir);

  assert.is(approved.code, 0, approved.stderr + approved.stdout);
  const done = await show(dir, waiting.id);
  assert.is(done.status, 'success');
  assert.is(done.approvals!['risk-approval']!.decisions[0]!.by, 'bob');
  assert.ok(deployed(dir), 'deployed after the approval');
});

const passing: Array<[string, RunSpec[], string, RegExp]> = [
  ['a steady history: low risk', runs(20, 'success'), 'low', /^risk: low \(score 0\.\d\d, /m],
  ['too little history: unknown risk', runs(2, 'failed'), 'unknown', /^risk: unknown — not enough data: 2 finished runs of ship, 5 needed$/m],
];
for (const [name, history, level, line] of passing) {
  test(`${name}: risk-approval passes at once (decision not-needed) and the deploy runs`, async () => {
    const dir = await world(history);

    const r = await cli(['run', 'ship', '--plugin', 'plugins/hello'], dir);

    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, line);
    const rec = await newest(dir);
    assert.is(rec.status, 'success');
    assert.is(rec.steps['risk-approval']!.status, 'success');
    assert.equal(rec.steps['risk-approval']!.outputs, { decision: 'not-needed' });
    assert.is(rec.approvals?.['risk-approval'], undefined, 'nobody was asked');
    assert.is(rec.steps.deploy!.status, 'success');
    assert.ok(deployed(dir));
    assert.is(rec.risk!.level, level);
    assert.ok(rec.risk!.factors.length > 0, 'the record keeps the factors');
    assert.ok(rec.risk!.factors.every((f) => typeof f.detail === 'string' && f.value >= 0 && f.value <= 1));
  });
}

test.run();
