// Flapping: a service that is up, down, up, down… at every check. With thresholds of one, each
// check changes the alert. Once the changes pass 30% of the last 20 evaluations, the channels get
// one "flapping" notification and then nothing per change; when it settles they get the state it
// settled in, so every receiver ends on the truth. Without flap detection every change would be
// told (the control case), which is what the feature saves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { catalogFor, fill } from '../../src/notify/catalog/index.ts';
import { sec, world, type World } from './helpers.ts';

type Json = Record<string, any>;

const documents = (flapDetection: boolean) => `apiVersion: pluginops/v1
kind: HealthCheck
metadata: { id: api }
spec:
  type: http
  url: "{service}/health"
  interval: 10s
  timeout: 1s
  stagger: 1s
  failureThreshold: 1
  successThreshold: 1
---
apiVersion: pluginops/v1
kind: AlertRule
metadata: { id: api-down, name: API down }
spec:
  source: { healthCheck: api }
  severity: critical
  notify: { channels: [ops-slack, ops-hook], escalate: false }
  flapDetection: ${flapDetection}
`;

/** Down at the first check, then the opposite at each following one, `checks` checks in all. */
async function alternate(w: World, checks: number): Promise<void> {
  for (let i = 0; i < checks; i++) {
    w.service.mode = i % 2 === 0 ? 'down' : 'up';
    await w.run(10 * sec);
  }
}

// Incidents resolve 1 s after their alert stops, so without flap detection every change is a
// notification of its own (a new incident, or its resolution).
const monitoring = ['autoResolve: { critical: 1s }'];

test('an alert that flaps is told once that it flaps, not at every change, and receivers converge when it settles', async () => {
  const w = await world({ documents: documents(true), monitoring });
  try {
    w.monitor.start();
    await alternate(w, 7);
    const alert = () => w.monitor.alerts().find((a) => a.ruleId === 'api-down')!;
    assert.ok(alert().flapping, 'seven changes in a row: flapping (35% > 30%)');
    const flapText = fill(catalogFor('en').incident.flapping, { ratio: 35 });
    const hookAtStart = w.got('/hook').length;
    const slackAtStart = w.got('/slack').length;

    await alternate(w, 12);
    assert.ok(alert().flapping, 'still flapping');
    assert.is(w.got('/hook').length, hookAtStart, 'twelve more changes, nothing more told to the webhook');
    assert.is(w.got('/slack').length, slackAtStart, 'nor to slack');

    const hook = w.got('/hook') as Json[];
    const flapHook = hook.filter((p) => p.alerts[0].annotations.description === flapText);
    assert.is(flapHook.length, 1, 'one flapping notification to the webhook');
    assert.is(flapHook[0]!.status, 'firing');
    const flapSlack = w.got('/slack').filter((m) => JSON.stringify(m).includes(flapText));
    assert.is(flapSlack.length, 1, 'one flapping notification to slack');
    assert.ok(hook.length < 19, `fewer notifications (${hook.length}) than changes (19)`);
    assert.ok(w.logs.some((l) => l.line.includes(flapText)), 'the flapping is on the incident timeline');

    // It settles (up): flapping stops once changes fall below 25% of the window; the alert's
    // state then is told once, and the incident resolves.
    w.service.mode = 'up';
    await w.run(200 * sec);
    assert.not.ok(alert().flapping, 'no longer flapping');
    assert.ok(['ok', 'resolved'].includes(alert().state), `settled up (${alert().state})`);
    const open = w.monitor.incidents().filter((i) => i.status !== 'resolved');
    assert.equal(open, [], 'every incident is resolved');
    assert.is((w.got('/hook') as Json[]).at(-1)!.status, 'resolved', 'the webhook ends on resolved');
    assert.match(JSON.stringify(w.got('/slack').at(-1)), /Resolved/, 'slack ends on resolved');
    assert.is(w.monitor.pendingNotifications, 0);
  } finally {
    await w.close();
  }
});

test('control: without flap detection every change is told', async () => {
  const w = await world({ documents: documents(false), monitoring });
  try {
    w.monitor.start();
    await alternate(w, 19);
    const hook = w.got('/hook') as Json[];
    assert.ok(hook.length >= 17, `about one notification per change (${hook.length} for 19 changes)`);
    assert.not.ok(w.monitor.alerts()[0]!.flapping);
    assert.not.ok(hook.some((p) => /Flapping/.test(p.alerts[0].annotations.description)));
  } finally {
    await w.close();
  }
});

test.run();
