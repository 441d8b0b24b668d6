// Conditions over fields: a table of true, false and unparseable conditions; the defaults per
// type; and checkConditions reporting parse errors by index for the validator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkConditions, conditionsFor, evaluateConditions, type CheckType } from '../../src/monitor/checks/conditions.ts';
import type { CheckFields } from '../../src/monitor/checks/result.ts';

const http: CheckFields = { status: 200, responseTime: 120, body: '{"status":"ok"}', json: { status: 'ok', items: [1, 2] }, certificateDaysLeft: 30 };
const command: CheckFields = { exitCode: 0, output: 'server ready\nlistening', responseTime: 5 };

const cases: Array<{ type: CheckType; fields: CheckFields; expression: string; ok: boolean; error?: RegExp }> = [
  { type: 'http', fields: http, expression: 'status == 200', ok: true },
  { type: 'http', fields: http, expression: 'status == 500', ok: false },
  { type: 'http', fields: http, expression: 'responseTime < 300', ok: true },
  { type: 'http', fields: { ...http, responseTime: 450 }, expression: 'responseTime < 300', ok: false },
  { type: 'http', fields: http, expression: "json.status == 'ok'", ok: true },
  { type: 'http', fields: { ...http, json: null }, expression: "json.status == 'ok'", ok: false },
  { type: 'http', fields: http, expression: 'certificateDaysLeft > 14', ok: true },
  { type: 'http', fields: { ...http, certificateDaysLeft: 3 }, expression: 'certificateDaysLeft > 14', ok: false },
  { type: 'http', fields: http, expression: "contains(body, 'ok')", ok: true },
  { type: 'http', fields: http, expression: 'status >= 200 && responseTime < 100', ok: false },
  { type: 'http', fields: { status: 200 }, expression: 'certificateDaysLeft > 14', ok: false },
  { type: 'command', fields: command, expression: 'exitCode == 0', ok: true },
  { type: 'command', fields: { ...command, exitCode: 2 }, expression: 'exitCode == 0', ok: false },
  { type: 'command', fields: command, expression: "contains(output, 'ready')", ok: true },
  { type: 'command', fields: command, expression: "contains(output, 'failed')", ok: false },
  { type: 'tcp', fields: { connected: true, responseTime: 1 }, expression: 'connected', ok: true },
  { type: 'tcp', fields: { connected: false, responseTime: null }, expression: 'connected', ok: false },
  { type: 'tcp', fields: { connected: true }, expression: 'status == 200', ok: false, error: /unknown name `status`/ },
  { type: 'http', fields: http, expression: 'status ==', ok: false, error: /./ },
];
for (const c of cases) {
  test(`${c.type}: ${c.expression} → ${c.ok}${c.error ? ' (error)' : ''}`, () => {
    const [result] = evaluateConditions(c.type, [c.expression], c.fields);
    assert.is(result?.ok, c.ok);
    assert.is(result?.expression, c.expression);
    if (c.error) assert.match(result?.error ?? '', c.error); else assert.is(result?.error, undefined);
  });
}

test('defaults apply only when no conditions are given', () => {
  assert.equal(conditionsFor('http', undefined), ['status >= 200 && status < 400']);
  assert.equal(conditionsFor('tcp', []), ['connected']);
  assert.equal(conditionsFor('command', undefined), ['exitCode == 0']);
  assert.equal(conditionsFor('http', ['status == 204']), ['status == 204']);
});

test('default http condition: 2xx and 3xx pass, 4xx and 5xx fail', () => {
  const verdict = (status: number) => evaluateConditions('http', conditionsFor('http', undefined), { status })[0]?.ok;
  assert.equal([200, 301, 399, 400, 404, 503].map(verdict), [true, true, true, false, false, false]);
});

test('checkConditions reports each unparseable condition by index', () => {
  const problems = checkConditions('http', ['status == 200', 'status ==', 'exitCode == 0', "json.status == 'ok'"]);
  assert.equal(problems.map((p) => p.index), [1, 2]);
  assert.match(problems[1]?.message ?? '', /unknown name `exitCode`; expected one of status, responseTime/);
  assert.equal(checkConditions('command', ['exitCode == 0', "contains(output, 'ready')"]), []);
});

test.run();
