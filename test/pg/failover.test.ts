// Two `serve --cron` replicas on one PostgreSQL database. The leader is SIGKILLed in the middle of
// an escalation, 20 times, at points spread over the send path: before a step is due, while the
// receiver holds a step's request unanswered, and at several delays after it answered (around the
// record of the send and the state write that forgets it). Each time the other replica leads
// within the lease's bound and the escalation goes on where it stood; the receivers, deduping on
// the idempotency key as PagerDuty and Alertmanager receivers do, see exactly one notification per
// (incident, step, channel).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { apiDownDocuments, eventually } from '../serve/helpers.ts';
import { kill, replicaWorld, type Delivery, type Replica, type ReplicaWorld } from './replicas.ts';

const leaseMs = 1_000;
const documents = apiDownDocuments({ failureThreshold: 1, channels: ['hook-a'], interval: '300ms' });

const monitoring = [
  'monitoring:',
  '  escalation:',
  '    critical: { steps: [{ after: 700ms, channels: [hook-a] }, { after: 1400ms, channels: [hook-b] }] }',
  '  autoResolve: { critical: 500ms }',
];

/** Where in the send path the leader dies; cycled over the repetitions. */
const killPoints = [
  { name: 'before the second step is due', at: 'opened', delayMs: 200 },
  { name: 'while step 1 is at the receiver', at: 'step1-arrived', delayMs: 0 },
  { name: 'just after step 1 was answered', at: 'step1-answered', delayMs: 0 },
  { name: '15 ms after step 1 was answered', at: 'step1-answered', delayMs: 15 },
  { name: '60 ms after step 1 was answered', at: 'step1-answered', delayMs: 60 },
  { name: '150 ms after step 1 was answered', at: 'step1-answered', delayMs: 150 },
  { name: 'while step 2 is at the receiver', at: 'step2-arrived', delayMs: 0 },
  { name: '30 ms after step 2 was answered', at: 'step2-answered', delayMs: 30 },
  { name: 'while the opening notification is at the receiver', at: 'open-arrived', delayMs: 0 },
  { name: '5 ms after the opening notification was answered', at: 'open-answered', delayMs: 5 },
] as const;

async function leaderOf(w: ReplicaWorld, rs: Replica[]): Promise<Replica> {
  return eventually(async () => {
    for (const r of rs) if (await w.role(r) === 'leader') return r;
    return undefined;
  }, { what: 'a leader', everyMs: 50 });
}

const keyOf = (d: Delivery) => d.key;
const incidentOf = (d: Delivery) => d.key.split('/')[0]!;

test('SIGKILL of the leader mid-escalation, 20 times: another replica leads within the bound and each (incident, step, channel) reaches its receiver once', async () => {
  const w = await replicaWorld({ documents, project: monitoring, hookDelayMs: 150 });
  const takeovers: number[] = [];
  try {
    let replicas = [await w.start(), await w.start()];
    for (let rep = 0; rep < 20; rep++) {
      const point = killPoints[rep % killPoints.length]!;
      const leader = await leaderOf(w, replicas);
      const other = replicas.find((r) => r !== leader)!;
      const seen = w.hooks.deliveries.length;
      // Arm the kill before the outage starts.
      let killed: Promise<number> | undefined;
      const fire = () => {
        killed ??= new Promise<number>((resolve) => setTimeout(() => {
          const at = Date.now();
          void kill(leader).then(() => resolve(at));
        }, point.delayMs));
      };
      // The rule's own channels are the policy's first step, at once; the project's two steps follow.
      const matches = (d: Delivery, what: string) =>
        (what === 'open' && d.key.includes('/step1.round1/hook-a'))
        || (what === 'step1' && d.key.includes('/step2.round1/hook-a'))
        || (what === 'step2' && d.key.includes('/step3.round1/hook-b'));
      const [what, when] = point.at.split('-') as [string, string];
      w.hooks.onArrive = (d) => { if (when === 'arrived' && matches(d, what)) fire(); };
      w.hooks.onAnswer = (d) => { if (when === 'answered' && matches(d, what)) fire(); };
      w.service.mode = 'down';
      if (point.at === 'opened') {
        await eventually(async () => (await w.api(leader, 'GET', '/api/incidents?status=open')).body?.data?.length === 1, { what: 'the incident', everyMs: 50 });
        fire();
      }
      await eventually(() => killed, { what: `the kill point "${point.name}"`, timeoutMs: 20_000 });
      const at = await killed!;
      await eventually(async () => (await w.role(other)) === 'leader', { what: 'the other replica to lead', everyMs: 25, timeoutMs: 10_000 });
      takeovers.push(Date.now() - at);
      // The escalation goes on: both steps reach their receivers.
      const mine = () => w.hooks.deliveries.slice(seen);
      await eventually(() => mine().some((d) => matches(d, 'step2')) && mine().some((d) => matches(d, 'step1')), { what: `both steps after "${point.name}"`, timeoutMs: 15_000 });
      w.hooks.onArrive = undefined;
      w.hooks.onAnswer = undefined;
      // The killed replica comes back as a follower; the outage ends and the incident resolves.
      const restarted = w.start();
      w.service.mode = 'up';
      await eventually(async () => (await w.api(other, 'GET', '/api/incidents?status=open')).body?.data?.length === 0, { what: 'the incident resolved', everyMs: 50, timeoutMs: 15_000 });
      replicas = [other, await restarted];
    }
    // Deduped on the idempotency key, each (incident, step, channel) came once.
    const firing = w.hooks.deliveries.filter((d) => d.body?.status === 'firing');
    const incidents = [...new Set(firing.map(incidentOf))];
    assert.is(incidents.length, 20, 'one incident per repetition');
    for (const id of incidents) {
      const keys = new Set(firing.filter((d) => incidentOf(d) === id).map(keyOf));
      const steps = [...keys].map((k) => k.slice(id.length + 1)).sort();
      assert.equal(steps, ['step1.round1/hook-a', 'step2.round1/hook-a', 'step3.round1/hook-b'], `incident ${id}`);
    }
    for (const d of w.hooks.deliveries) assert.ok(d.key, 'every delivery carries an idempotency key');
    // The stated bound: the lease, plus one renewal (lease / 5), plus the polling of this test.
    const worst = Math.max(...takeovers);
    assert.ok(worst <= leaseMs * 1.2 + 800, `takeovers ${takeovers.join(', ')} ms`);
    const resent = w.hooks.deliveries.filter((d) => d.body?.status === 'firing').length - firing.map(keyOf).filter((k, i, a) => a.indexOf(k) === i).length;
    console.log(`takeover ms: median ${takeovers.sort((a, b) => a - b)[10]}, max ${worst}; resent with the same key: ${resent}`);
  } finally {
    await w.close();
  }
});

test.run();
