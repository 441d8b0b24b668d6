// The contract (index.ts) on records: create, each patch, get, ids, and list's filters and order.
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ExecutionPatch } from '../../../src/store/types.ts';
import { errorCodeOf, execution, step, syncErrorCodeOf } from '../helpers.ts';
import type { Using } from './index.ts';

export function records(name: string, using: Using): Test {
  const t = suite(`${name}: records`);

  t('create, update and get round-trip status, steps and artifacts', () => using(async ({ store }) => {
    await store.create(execution('run-1', { plugin: 'p1', parameters: { env: 'prod' } }));
    await store.update('run-1', { type: 'status', status: 'running', at: '2026-01-01T00:00:01.000Z', currentStep: 'build' });
    await store.update('run-1', { type: 'step', step: step('build', { status: 'running', attempts: 1 }) });
    await store.update('run-1', { type: 'step', step: step('build', { attempts: 2, outputs: { image: 'x:1' } }) });
    await store.update('run-1', { type: 'artifact', artifact: { name: 'report', path: 'out/report.json', size: 12 } });
    const running = await store.get('run-1');

    assert.is(running?.status, 'running');
    assert.is(running?.startedAt, '2026-01-01T00:00:01.000Z');
    assert.is(running?.currentStep, 'build');
    assert.equal(running?.parameters, { env: 'prod' });
    assert.equal(running?.steps.build, step('build', { attempts: 2, outputs: { image: 'x:1' } }));
    assert.equal(running?.artifacts, [{ name: 'report', path: 'out/report.json', size: 12 }]);
    assert.is(running?.owner?.pid, process.pid);

    await store.update('run-1', { type: 'status', status: 'failed', at: '2026-01-01T00:00:04.500Z', error: 'boom' });
    const failed = await store.get('run-1');
    assert.is(failed?.status, 'failed');
    assert.is(failed?.error, 'boom');
    assert.is(failed?.endedAt, '2026-01-01T00:00:04.500Z');
    assert.is(failed?.durationMs, 3500);
    assert.equal(failed?.steps.build?.outputs, { image: 'x:1' });
    assert.is(await store.get('missing'), undefined);
  }));

  t('create refuses an id that exists; update refuses an unknown id', () => using(async ({ store }) => {
    await store.create(execution('a'));

    const dup = await errorCodeOf(store.create(execution('a')));
    const missing = await errorCodeOf(store.update('nope', { type: 'status', status: 'running', at: 'x' }));

    assert.is(dup, 'E_EXISTS');
    assert.is(missing, 'E_NOT_FOUND');
    assert.is((await store.get('a'))?.status, 'pending');
  }));

  t('every patch type: approval, parameters, artifact by name, step, waiting, resumed', () => using(async ({ store }) => {
    const approval = {
      step: 'gate', status: 'waiting' as const, requestedAt: '2026-01-01T00:00:02Z', onTimeout: 'reject' as const, quorum: 1,
      fourEyes: false, title: 'Ship?', parameters: {}, decisions: [],
    };
    await store.create(execution('p', { parameters: { a: 1 } }));
    await store.update('p', { type: 'status', status: 'running', at: '2026-01-01T00:00:01Z' });
    await store.update('p', { type: 'step', step: step('gate', { status: 'running' }) });
    await store.update('p', { type: 'approval', approval });
    await store.update('p', { type: 'artifact', artifact: { name: 'a', path: 'one' } });
    await store.update('p', { type: 'artifact', artifact: { name: 'b', path: 'two' } });
    await store.update('p', { type: 'artifact', artifact: { name: 'a', path: 'three', sha256: 'f00' } });
    await store.update('p', { type: 'status', status: 'waiting', at: '2026-01-01T00:00:03Z', error: 'held' });
    const waiting = await store.get('p');
    await store.update('p', { type: 'parameters', parameters: { a: 2, b: 'x' } });
    await store.update('p', { type: 'approval', approval: { ...approval, status: 'approved', decisions: [{ by: 'ann', at: '2026-01-01T00:00:04Z', decision: 'approve', via: 'cli' }] } });
    await store.update('p', { type: 'resumed', at: '2026-01-01T00:00:05Z', reason: 'approved', by: 'ann', owner: { pid: process.pid, host: 'here' } });
    const resumed = await store.get('p');

    assert.is(waiting?.status, 'waiting');
    assert.is(waiting?.currentStep, 'gate');
    assert.is(waiting?.approvals?.gate?.status, 'waiting');
    assert.equal(waiting?.artifacts, [{ name: 'b', path: 'two' }, { name: 'a', path: 'three', sha256: 'f00' }]);
    assert.is(resumed?.status, 'running');
    assert.equal(resumed?.parameters, { a: 2, b: 'x' });
    assert.equal(resumed?.approvals?.gate?.decisions.map((d) => d.by), ['ann']);
    assert.equal(resumed?.resumes, [{ at: '2026-01-01T00:00:05Z', reason: 'approved', by: 'ann' }]);
    assert.equal(resumed?.owner, { pid: process.pid, host: 'here' });
    assert.is(resumed?.error, undefined);
    assert.is(resumed?.startedAt, '2026-01-01T00:00:01Z');
  }));

  t('unsafe ids are rejected with E_BAD_ID by every method taking an id', () => using(async ({ store }) => {
    const patch: ExecutionPatch = { type: 'status', status: 'running', at: '2026-01-01T00:00:00Z' };
    for (const id of ['../x', '..', 'a/b', '/abs', '', '.hidden', '-dash', 'a..b', 'a b', 'a\\b', 'x'.repeat(129), 'é']) {
      const codes = [
        await errorCodeOf(store.create(execution(id))),
        await errorCodeOf(store.update(id, patch)),
        await errorCodeOf(store.get(id)),
        await errorCodeOf(store.logs(id)),
        await errorCodeOf(store.requestCancel(id)),
        await errorCodeOf(store.cancelRequested(id)),
        await errorCodeOf(store.exclusive(id, async () => 'ran')),
        syncErrorCodeOf(() => store.log(id, { timestamp: 't', level: 'info', message: 'm' })),
      ];
      assert.equal(codes, Array(8).fill('E_BAD_ID'), `id ${JSON.stringify(id)}`);
    }
    await store.flush();
    assert.equal(await store.list(), []);
  }));

  t('the longest and unusual but safe ids are accepted', () => using(async ({ store }) => {
    for (const id of ['a', 'A.b_c-1', 'x'.repeat(128), '0.1.2']) {
      await store.create(execution(id));
      assert.is((await store.get(id))?.id, id);
    }
  }));

  t('another store on the same data sees the executions and the updates of the first', () => using(async (h) => {
    const other = await h.another();
    await h.store.create(execution('shared'));
    await other.update('shared', { type: 'status', status: 'success', at: '2026-01-01T00:00:02Z' });

    assert.is((await other.get('shared'))?.status, 'success');
    assert.is((await h.store.get('shared'))?.durationMs, 2000);
    assert.equal((await h.store.list()).map((r) => r.id), ['shared']);
  }));

  return t;
}

export function lists(name: string, using: Using): Test {
  const t = suite(`${name}: list`);

  t('list filters by plugin, status and workflow, newest first, with a limit', () => using(async ({ store }) => {
    const rows = [
      execution('e1', { createdAt: '2026-01-01T00:00:01Z', plugin: 'a', workflow: 'deploy' }),
      execution('e2', { createdAt: '2026-01-01T00:00:03Z', plugin: 'b', workflow: 'deploy' }),
      execution('e3', { createdAt: '2026-01-01T00:00:02Z', plugin: 'a', workflow: 'check' }),
      execution('e4', { createdAt: '2026-01-01T00:00:04Z', plugin: 'a', workflow: 'deploy' }),
    ];
    for (const r of rows) await store.create(r);
    await store.update('e4', { type: 'status', status: 'success', at: '2026-01-01T00:00:05Z' });

    const cases: Array<[Parameters<typeof store.list>[0], string[]]> = [
      [undefined, ['e4', 'e2', 'e3', 'e1']],
      [{ plugin: 'a' }, ['e4', 'e3', 'e1']],
      [{ workflow: 'deploy' }, ['e4', 'e2', 'e1']],
      [{ status: 'success' }, ['e4']],
      [{ status: 'pending', plugin: 'a' }, ['e3', 'e1']],
      [{ limit: 2 }, ['e4', 'e2']],
      [{ plugin: 'a', limit: 1 }, ['e4']],
      [{ limit: 0 }, []],
      [{ plugin: 'zzz' }, []],
    ];
    for (const [filter, expected] of cases) {
      assert.equal((await store.list(filter)).map((r) => r.id), expected, JSON.stringify(filter));
    }
  }));

  t('list by category, kind, time window and the plugin\'s other names; equal times ordered by id, last first', () => using(async ({ store }) => {
    await store.create(execution('w1', { createdAt: '2026-02-01T00:00:00Z', plugin: './plugins/hello/' }));
    await store.create(execution('w2', { createdAt: '2026-02-02T00:00:00Z', pluginId: 'hello' }));
    await store.create(execution('p1', { createdAt: '2026-02-03T00:00:00Z', kind: 'ActionPlan', category: 'security', parameters: { plugin: 'hello' } }));
    await store.create(execution('p2', { createdAt: '2026-02-03T00:00:00Z', kind: 'ActionPlan', category: 'system', parameters: { plugin: 7 } }));
    await store.create(execution('W3', { createdAt: '2026-02-03T00:00:00Z', kind: 'Workflow' }));
    const day = (d: string) => Date.parse(`2026-02-${d}T00:00:00Z`);

    const cases: Array<[Parameters<typeof store.list>[0], string[]]> = [
      [undefined, ['p2', 'p1', 'W3', 'w2', 'w1']],
      [{ kind: 'ActionPlan' }, ['p2', 'p1']],
      [{ kind: 'Workflow' }, ['W3', 'w2', 'w1']],
      [{ category: 'security' }, ['p1']],
      [{ since: day('02') }, ['p2', 'p1', 'W3', 'w2']],
      [{ until: day('02') }, ['w1']],
      [{ since: day('02'), until: day('03') }, ['w2']],
      [{ plugin: 'hello' }, ['p1', 'w2']],
      [{ plugin: 'plugins/hello' }, ['w1']],
      [{ plugin: './plugins/hello//' }, ['w1']],
      [{ plugin: '7' }, []],
    ];
    for (const [filter, expected] of cases) {
      assert.equal((await store.list(filter)).map((r) => r.id), expected, JSON.stringify(filter));
    }
  }));

  return t;
}
