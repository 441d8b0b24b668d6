// The failure risk through a real `pluginops serve` process: the answer of POST /api/executions
// carries it ("not enough data" first, a score once the workflow has history), the stored record
// keeps it, and /metrics exposes the newest assessment of the workflow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually, readToken, serveWorld, writeToken } from './helpers.ts';

const documents = `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: ship }
spec:
  parameters: { fail: { type: boolean, default: false } }
  steps:
    - id: build
      run: "true"
    - id: check
      needs: [build]
      run: test "\${{ params.fail }}" = false
`;

test('POST /api/executions answers the risk; the record keeps it; /metrics exposes the newest', async () => {
  const w = await serveWorld({ monitoring: ['historySize: 20'], documents });
  try {
    await w.start();
    const ids: string[] = [];
    const answers: any[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await w.api('POST', '/api/executions', { token: writeToken, body: { workflow: 'ship', parameters: { fail: i % 2 === 1 } } });
      assert.is(r.status, 202, JSON.stringify(r.body));
      answers.push(r.body.data);
      ids.push(r.body.data.id);
      await eventually(async () => {
        const e = await w.api('GET', `/api/executions/${r.body.data.id}`, { token: readToken });
        return ['success', 'failed'].includes(e.body.data.status);
      }, { what: `run ${i} to finish` });
    }
    assert.is(answers[0].risk.score, null);
    assert.is(answers[0].risk.level, 'unknown');
    assert.is(answers[0].risk.reason, 'not enough data: 0 finished runs of ship, 5 needed');
    const scored = answers[6].risk;
    assert.type(scored.score, 'number');
    assert.is(scored.history, 6);
    assert.is(scored.factors.find((f: any) => f.name === 'workflowFailures').detail, '3 of the last 6 runs failed');
    assert.is(scored.factors.find((f: any) => f.name === 'stepFailures').detail, 'step check failed 3 of the last 6 times it ran');

    const stored = await w.api('GET', `/api/executions/${ids[6]}`, { token: readToken });
    assert.equal(stored.body.data.risk, scored, 'the record keeps what the answer said');

    const metrics = await fetch(`${w.proc!.url}/metrics`, { headers: { authorization: `Bearer ${readToken}` } }).then((r) => r.text());
    assert.match(metrics, /# TYPE pluginops_risk_score gauge/);
    assert.match(metrics, new RegExp(`pluginops_risk_score\\{workflow="ship",plugin=""\\} ${scored.score}\\n`));
    assert.match(metrics, new RegExp(`pluginops_risk_level\\{workflow="ship",plugin="",level="${scored.level}"\\} 1\\n`));
  } finally {
    await w.close();
  }
});

test.run();
