// Retrying a run: steps after a step that runs again run again too (a report reads fresh results).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, project } from '../cli/helpers.ts';
import { keptSteps } from '../../src/runs/kept-steps.ts';
import type { ExecutionRecord, StepRecord } from '../../src/store/types.ts';

const plan = `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: syscheck }
spec:
  category: system
  steps:
    - id: disk
      run: |
        echo x >> disk-runs.txt
        echo "section=disk ok" >> "$PLUGINOPS_OUTPUT"
    - id: ports
      run: |
        echo x >> ports-runs.txt
        if [ -f fixed ]; then echo "section=ports up" >> "$PLUGINOPS_OUTPUT"; else echo "section=ports down" >> "$PLUGINOPS_OUTPUT"; exit 1; fi
    - id: report
      needs: [disk, ports]
      if: always()
      env: { DISK: "\${{ steps.disk.outputs.section }}", PORTS: "\${{ steps.ports.outputs.section }}" }
      run: echo "$DISK; $PORTS" > report.txt
    - id: publish
      needs: [report]
      if: always()
      run: cp report.txt published.txt
`;

test('retry: the steps downstream of a re-run step run again; independent successful steps are kept', async () => {
  const dir = project({ 'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\n', 'pipelines/syscheck.yml': plan });
  const first = await cli(['run', 'syscheck', '--quiet'], dir);
  assert.is(first.code, 1, first.stderr);
  assert.is(readFileSync(join(dir, 'report.txt'), 'utf8'), 'disk ok; ports down\n');
  const list = JSON.parse((await cli(['executions', 'list', '--json'], dir)).stdout) as ExecutionRecord[];
  const id = list[0]!.id;

  writeFileSync(join(dir, 'fixed'), '');
  const again = await cli(['retry', id, '--json'], dir);
  assert.is(again.code, 0, again.stderr);
  const kept = again.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: string }).filter((e) => e.type === 'step.kept').map((e) => e.step);
  assert.equal(kept, ['disk']);
  assert.is(readFileSync(join(dir, 'disk-runs.txt'), 'utf8'), 'x\n', 'disk ran once');
  assert.is(readFileSync(join(dir, 'report.txt'), 'utf8'), 'disk ok; ports up\n', 'the report ran again and reads the new result');
  assert.is(readFileSync(join(dir, 'published.txt'), 'utf8'), 'disk ok; ports up\n', 'and so did what follows it');
  const rec = JSON.parse((await cli(['executions', 'show', id, '--json'], dir)).stdout) as ExecutionRecord;
  assert.is(rec.status, 'success');
});

test('keptSteps: downstream through needs, transitively, whatever the order of the steps', () => {
  const step = (id: string, status: StepRecord['status']): StepRecord => ({ id, status, attempts: 1, outputs: {} });
  const graph = { steps: [{ id: 'd', needs: ['c'] }, { id: 'c', needs: ['b'] }, { id: 'b', needs: ['a'] }, { id: 'a', needs: [] }, { id: 'x', needs: ['a'] }] };
  const record = { steps: { a: step('a', 'success'), b: step('b', 'failed'), c: step('c', 'success'), d: step('d', 'success'), x: step('x', 'success') } };
  assert.equal([...keptSteps(graph, record).keys()].sort(), ['a', 'x']);
});

test.run();
