// The decision rules as a pure function of a run's record.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decide, expire, DecisionError } from '../../src/runs/approvals/decide.ts';
import type { ApprovalRecord, ExecutionRecord } from '../../src/store/types.ts';

const t0 = Date.parse('2026-11-22T10:00:00Z');

function waiting(approval: Partial<ApprovalRecord> = {}, requestedBy = 'alice'): ExecutionRecord {
  return {
    id: 'run-1', workflow: 'scale', parameters: { plugin: 'p', workers: 2 }, status: 'waiting', createdAt: new Date(t0).toISOString(), artifacts: [], requestedBy,
    steps: { approval: { id: 'approval', status: 'waiting', attempts: 1, outputs: {} } },
    approvals: { approval: { step: 'approval', status: 'waiting', requestedAt: new Date(t0).toISOString(), onTimeout: 'reject', quorum: 1, fourEyes: false, title: 'Approve scale', parameters: { workers: { type: 'number', default: 2 } }, modifiesParameters: true, decisions: [], ...approval } },
  };
}

const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { if (e instanceof DecisionError) return e.code; throw e; }
  return 'none';
};

test('four eyes looks at every name of the person: a Slack id listed as approver cannot approve a run its owner started under another name', () => {
  const r = waiting({ approvers: ['U0ALICE', 'bob'], fourEyes: true });
  assert.is(code(() => decide(r, { decision: 'approve', by: 'U0ALICE', via: 'slack', aliases: ['U0ALICE', 'alice'] }, t0)), 'E_FOUR_EYES');
  assert.is(code(() => decide(r, { decision: 'approve', by: 'alice', via: 'cli' }, t0)), 'E_NOT_APPROVER');
  const ok = decide(r, { decision: 'approve', by: 'bob', via: 'cli' }, t0);
  assert.is(ok.outcome, 'approved');
  // Rejecting one's own run is allowed under four eyes.
  assert.is(decide(r, { decision: 'reject', by: 'U0ALICE', via: 'slack', aliases: ['alice'] }, t0).outcome, 'rejected');
});

test('a person answers once, under any of their names', () => {
  const r = waiting({ quorum: 2, decisions: [{ by: 'U0BOB', at: new Date(t0).toISOString(), decision: 'approve', via: 'slack' }] });
  assert.is(code(() => decide(r, { decision: 'approve', by: 'bob', via: 'api', aliases: ['U0BOB'] }, t0)), 'E_DUPLICATE');
  const second = decide(r, { decision: 'approve', by: 'carol', via: 'api' }, t0);
  assert.is(second.outcome, 'approved');
  assert.is(second.outputs.approvedBy, 'U0BOB,carol');
});

test('Modify values: converted to their declared types and the run\'s parameters; names and types checked; only with an approval', () => {
  const r = waiting();
  const d = decide(r, { decision: 'approve', by: 'bob', via: 'slack', values: { workers: '6' } }, t0);
  assert.equal(d.parameters, { plugin: 'p', workers: 6 });
  assert.equal(d.decision.values, { workers: 6 });
  assert.is(d.outputs.workers, '6');
  assert.is(code(() => decide(r, { decision: 'approve', by: 'bob', via: 'cli', values: { workers: 'x' } }, t0)), 'E_INVALID_VALUES');
  assert.is(code(() => decide(r, { decision: 'approve', by: 'bob', via: 'cli', values: { image: 'evil' } }, t0)), 'E_INVALID_VALUES');
  assert.is(code(() => decide(r, { decision: 'reject', by: 'bob', via: 'cli', values: { workers: 3 } }, t0)), 'E_INVALID_VALUES');
  assert.is(decide(r, { decision: 'approve', by: 'bob', via: 'cli' }, t0).parameters, undefined, 'unchanged parameters stay as they are');
});

test('not waiting, empty names, long comments are refused; the deadline decides by onTimeout', () => {
  assert.is(code(() => decide({ ...waiting(), status: 'success' }, { decision: 'approve', by: 'bob', via: 'cli' }, t0)), 'E_NOT_WAITING');
  assert.is(code(() => decide(waiting(), { decision: 'approve', by: '  ', via: 'cli' }, t0)), 'E_BAD_DECISION');
  assert.is(code(() => decide(waiting(), { decision: 'approve', by: 'bob', via: 'cli', comment: 'x'.repeat(2001) }, t0)), 'E_BAD_DECISION');
  const deadline = new Date(t0 + 60_000).toISOString();
  assert.is(expire(waiting({ deadline }), t0 + 59_999), undefined);
  const rejected = expire(waiting({ deadline }), t0 + 60_000)!;
  assert.equal([rejected.outcome, rejected.decision.by, rejected.decision.via], ['rejected', 'timeout', 'timeout']);
  assert.is(expire(waiting({ deadline, onTimeout: 'approve' }), t0 + 60_000)!.outcome, 'approved');
});

test.run();
