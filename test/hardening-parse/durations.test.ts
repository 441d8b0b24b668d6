// Durations cannot overflow timers. The schema bounds every duration (timeouts, waits and retry
// delays at 7d, anything else at 365d; no count of milliseconds JavaScript cannot hold) with a
// located E_VALUE; and the real clock chains timers past setTimeout's 2^31-1 ms, so even a
// duration that slips through waits its full length instead of firing at once.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadText } from '../../src/documents/load.ts';
import { parseDuration } from '../../src/documents/duration.ts';
import { chainedTimer, maxTimerMs, systemClock, VirtualClock } from '../../src/engine/clock.ts';
import { yaml } from '../documents/helpers.ts';

const day = 86_400_000;
const head = ['apiVersion: pluginops/v1', 'kind: Workflow', 'metadata:', '  id: deploy', 'spec:'];

const cases: Array<{ name: string; lines: string[]; line: number; col: number; max: string }> = [
  { name: 'a workflow timeout of 30d', lines: [...head, '  timeout: 30d', '  steps:', '    - { id: a, run: make }'], line: 6, col: 12, max: '7d' },
  { name: 'a step timeout of 25d', lines: [...head, '  steps:', '    - id: a', '      run: make', '      timeout: 25d'], line: 9, col: 16, max: '7d' },
  { name: 'a wait of 25d', lines: [...head, '  steps:', '    - id: a', '      uses: wait', '      with: { duration: 25d }'], line: 9, col: 25, max: '7d' },
  { name: 'a retry delay of 25d', lines: [...head, '  steps:', '    - id: a', '      run: make', '      retry: { limit: 1, delay: 25d }'], line: 9, col: 33, max: '7d' },
  { name: 'a retry delay of 999999999999999999999d', lines: [...head, '  steps:', '    - id: a', '      run: make', '      retry: { limit: 1, delay: 999999999999999999999d }'], line: 9, col: 33, max: '7d' },
  { name: 'a health check interval of 400d', lines: ['apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata: { id: api }', 'spec:', '  type: http', '  url: http://127.0.0.1:1/', '  interval: 400d'], line: 7, col: 13, max: '365d' },
];

for (const c of cases) {
  test(`${c.name} is a located E_VALUE naming the maximum`, () => {
    const { diagnostics } = loadText('d.yml', yaml(...c.lines), registry);

    assert.equal(diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`), [`${c.line}:${c.col} E_VALUE`], diagnostics.map((d) => d.message).join('; '));
    assert.match(diagnostics[0]!.message, `expected a duration of at most ${c.max}`);
  });
}

test('durations up to the maximum validate', () => {
  const { diagnostics } = loadText('d.yml', yaml(...head, '  timeout: 7d', '  steps:', '    - id: a', '      uses: wait', '      with: { duration: 6d23h59m }', '      timeout: 168h', '      retry: { limit: 1, delay: 1d, maxDelay: 7d }'), registry);

  assert.equal(diagnostics, []);
});

test('a duration past what milliseconds can count is refused by the parser', () => {
  assert.throws(() => parseDuration('999999999999999999999d'), /too long a duration/);
  assert.is(parseDuration('25d'), 25 * day);
});

test('a real-clock timer of 25d neither fires within half a second nor warns of an overflow', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.name);
  process.on('warning', onWarning);
  let fired = false;

  const cancel = systemClock.setTimer(25 * day, () => { fired = true; });
  await new Promise((r) => setTimeout(r, 500));
  cancel();
  process.off('warning', onWarning);

  assert.is(fired, false, 'a 25d timer fired at once');
  assert.equal(warnings.filter((w) => w === 'TimeoutOverflowWarning'), []);
});

test('a chained timer of 60d fires at 60d on a virtual clock, one bounded timer at a time', async () => {
  const clock = new VirtualClock(0);
  let firedAt: number | undefined;

  chainedTimer(clock, 60 * day, () => { firedAt = clock.now(); });
  assert.is(clock.pending, 1);
  await clock.advance(60 * day - 1);
  assert.is(firedAt, undefined, 'fired early');
  assert.is(clock.pending, 1);
  await clock.advance(1);

  assert.is(firedAt, 60 * day);
  assert.is(clock.pending, 0);
});

test('a chained timer cancelled between chunks never fires', async () => {
  const clock = new VirtualClock(0);
  let fired = false;

  const cancel = chainedTimer(clock, 3 * maxTimerMs, () => { fired = true; });
  await clock.advance(maxTimerMs + 5);
  cancel();
  await clock.runAll();

  assert.is(fired, false);
  assert.is(clock.pending, 0);
});

test('short timers are not chained: one timer, fired on time', async () => {
  const clock = new VirtualClock(0);
  let firedAt: number | undefined;

  chainedTimer(clock, 1500, () => { firedAt = clock.now(); });
  await clock.advance(1500);

  assert.is(firedAt, 1500);
});

test.run();
