// The document rules and condition names of prometheus, loki and plugin checks: the field each
// type needs, the fields only some types read, and conditions that name another type's field —
// each reported at file:line:col.
import { registry } from '../../src/wiring/registry.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic } from '../../src/documents/diagnostics.ts';
import { loadText } from '../../src/documents/load.ts';
import { conditionsFor, evaluateConditions } from '../../src/monitor/checks/conditions.ts';

/** A HealthCheck whose spec starts on line 6. */
const check = (...spec: string[]) => ['apiVersion: pluginops/v1', 'kind: HealthCheck', 'metadata:', '  id: c', 'spec:', ...spec].join('\n') + '\n';
const diagnostics = (...spec: string[]) => loadText('c.yml', check(...spec), registry).diagnostics.map(formatDiagnostic);

const cases: Array<{ name: string; spec: string[]; expected: string[] }> = [
  { name: 'prometheus with query and server', spec: ['  type: prometheus', '  query: up == 1', '  server: http://prometheus:9090'], expected: [] },
  { name: 'loki with query and window', spec: ['  type: loki', '  query: \'{app="api"} |= "error"\'', '  window: 10m'], expected: [] },
  { name: 'plugin with plugin', spec: ['  type: plugin', '  plugin: hello'], expected: [] },
  { name: 'prometheus without query', spec: ['  type: prometheus', '  server: http://prometheus:9090'],
    expected: ['c.yml:5:1: E_REQUIRED a prometheus check has no `query`; expected `query` under spec'] },
  { name: 'loki without query', spec: ['  type: loki'], expected: ['c.yml:5:1: E_REQUIRED a loki check has no `query`; expected `query` under spec'] },
  { name: 'plugin without plugin', spec: ['  type: plugin'], expected: ['c.yml:5:1: E_REQUIRED a plugin check has no `plugin`; expected `plugin` under spec'] },
  { name: 'window on a prometheus check', spec: ['  type: prometheus', '  query: up', '  window: 5m'],
    expected: ['c.yml:8:3: E_UNKNOWN_KEY `window` applies to loki checks only, found on a prometheus check; expected no `window` here, or type loki'] },
  { name: 'query and server on an http check', spec: ['  type: http', '  url: https://example.com', '  query: up', '  server: http://p:9090'], expected: [
    'c.yml:8:3: E_UNKNOWN_KEY `query` applies to prometheus and loki checks only, found on an http check; expected no `query` here, or type prometheus or loki',
    'c.yml:9:3: E_UNKNOWN_KEY `server` applies to prometheus and loki checks only, found on an http check; expected no `server` here, or type prometheus or loki',
  ] },
  { name: 'plugin on a command check', spec: ['  type: command', '  command: "true"', '  plugin: hello'],
    expected: ['c.yml:8:3: E_UNKNOWN_KEY `plugin` applies to plugin checks only, found on a command check; expected no `plugin` here, or type plugin'] },
  { name: 'a loki condition naming an http field', spec: ['  type: loki', '  query: \'{app="x"}\'', '  conditions: ["status == 200"]'],
    expected: ['c.yml:8:16: E_EXPRESSION condition `status == 200`: unknown name `status`; expected one of count, lines, truncated, responseTime or a literal'] },
  { name: 'prometheus and plugin conditions over their own fields', spec: ['  type: prometheus', '  query: up', '  conditions: ["value > 0.5 && series >= 1 && responseTime < 1000"]'], expected: [] },
];

for (const c of cases) {
  test(`document rule: ${c.name}`, () => {
    assert.equal(diagnostics(...c.spec), c.expected);
  });
}

test('condition names: each new type has its own', () => {
  assert.equal(diagnostics('  type: plugin', '  plugin: hello', '  conditions: ["healthy && contains(detail, \'ok\')"]'), []);
  assert.equal(diagnostics('  type: plugin', '  plugin: hello', '  conditions: ["count == 0"]').length, 1);
});

test('defaults: prometheus `value`, loki `count == 0`, plugin `healthy`', () => {
  assert.equal(conditionsFor('prometheus', undefined), ['value']);
  assert.equal(conditionsFor('loki', []), ['count == 0']);
  assert.equal(conditionsFor('plugin', undefined), ['healthy']);
  const verdict = (type: 'prometheus' | 'loki' | 'plugin', fields: Record<string, number | boolean | null>) =>
    evaluateConditions(type, conditionsFor(type, undefined), fields)[0]?.ok;
  assert.equal([1, 0.5, 0, null].map((value) => verdict('prometheus', { value })), [true, true, false, false]);
  assert.equal([0, 1, 12].map((count) => verdict('loki', { count })), [true, false, false]);
  assert.equal([true, false].map((healthy) => verdict('plugin', { healthy })), [true, false]);
});

test.run();
