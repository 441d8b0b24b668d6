// The controls file: written atomically under its lock and read back at the start; a file that is
// not a controls file stops the start with an error that names it, never a silent reset. And a
// Controls object refuses unknown checks and rules but keeps, and can lift, controls whose check
// or rule a reload removed.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ControlsError } from '../../src/monitor/controls/apply.ts';
import { Controls } from '../../src/monitor/controls/controls.ts';
import { controlsFile, ControlsFileError } from '../../src/monitor/controls/file.ts';

const who = { by: 'ops-admin', reason: 'testing' };

test('changes are written to <store>/controls.json and read back by the next process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-controls-'));
  let known = { checks: new Map([['api', 1]]), rules: new Map([['api-down', 1]]) };
  let now = 1_000;
  const changes: string[] = [];
  const first = await Controls.open({ now: () => now, file: controlsFile(dir), known: () => known, onChange: (c) => changes.push(`${c.action} ${c.target}`) });
  await first.pause({ check: 'api' }, undefined, who);
  await first.selfHealing(false, 'api-down', who);
  assert.equal(changes, ['pause check:api', 'self-healing-off rule:api-down']);
  assert.equal(readdirSync(dir).sort(), ['controls.json'], 'no temp or lock file is left');

  now = 5_000;
  const second = await Controls.open({ now: () => now, file: controlsFile(dir), known: () => known });
  assert.is(second.checkPaused('api')?.at, 1_000);
  assert.is(second.healingOff('api-down')?.by, 'ops-admin');

  // A reload removed the check: the pause stays, shows it matches nothing, and can be lifted.
  known = { checks: new Map(), rules: new Map([['api-down', 1]]) };
  assert.equal(second.view().pauses.map((p) => [p.target, p.matches]), [['check:api', false]]);
  await second.resume({ check: 'api' }, who);
  assert.equal(second.view().pauses, []);
});

test('unknown checks and rules are refused with the ones that exist; an empty reason is refused', async () => {
  const known = { checks: new Map([['api', 1]]), rules: new Map([['api-down', 1]]) };
  const c = await Controls.open({ now: () => 0, file: controlsFile(mkdtempSync(join(tmpdir(), 'pluginops-controls-'))), known: () => known });
  for (const [fn, pattern] of [
    [() => c.pause({ check: 'nope' }, undefined, who), /no HealthCheck `nope` in the configuration; known checks: api/],
    [() => c.selfHealing(false, 'nope', who), /no AlertRule `nope` in the configuration; known rules: api-down/],
    [() => c.startMaintenance({ durationMs: 1000, rules: ['nope'] }, who), /no AlertRule `nope`/],
    [() => c.pause({ all: true }, undefined, { by: 'x', reason: '  ' }), /needs a reason/],
  ] as const) {
    const e = await fn().then(() => undefined, (x: unknown) => x);
    assert.instance(e, ControlsError);
    assert.match((e as Error).message, pattern);
  }
  assert.is(c.view().changeCount, 0, 'nothing changed');
});

for (const [name, text, pattern] of [
  ['not JSON', '{"version": 1, "pauses": [', /is not valid JSON/],
  ['another shape', JSON.stringify({ version: 1, seq: 0, pauses: 'all' }), /is not a controls file of version 1/],
  ['another version', JSON.stringify({ version: 2, seq: 0, pauses: [], selfHealingOff: [], maintenance: [], changes: [] }), /is not a controls file of version 1/],
] as const) {
  test(`a controls file that is ${name} is an error naming the file, not a reset`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pluginops-controls-'));
    const path = join(dir, 'controls.json');
    writeFileSync(path, text);
    const e = await controlsFile(dir).load().then(() => undefined, (x: unknown) => x);
    assert.instance(e, ControlsFileError);
    assert.is((e as ControlsFileError).code, 'E_CONTROLS_FILE');
    assert.ok((e as Error).message.includes(path), (e as Error).message);
    assert.match((e as Error).message, pattern);
    assert.ok(existsSync(path), 'the file is left for a person to look at');
  });
}

test.run();
