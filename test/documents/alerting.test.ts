// Severities and categories have one source, the schema: the published JSON Schemas list exactly
// its values, and notify (channels, messages) reads the very same lists rather than its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { categories, severities } from '../../src/documents/schema/alerting.ts';
import * as notify from '../../src/notify/message.ts';

const schemaFile = (name: string): Record<string, any> => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schemas', name), 'utf8'));

test('notify reads the schema\'s severities and categories, not a copy of its own', () => {
  assert.is(notify.severities, severities);
  assert.is(notify.categories, categories);
});

test('an AlertRule\'s severity and category are the schema\'s lists', () => {
  const spec = schemaFile('alert-rule.schema.json').properties.spec.properties;
  assert.equal(spec.severity.enum, [...severities]);
  assert.equal(spec.category.enum, [...categories]);
});

test('the project file names the same severities for escalation, auto-resolve and approval', () => {
  const props = schemaFile('project.schema.json').properties;
  const monitoring = props.monitoring.properties;
  assert.equal(Object.keys(monitoring.escalation.properties), [...severities]);
  assert.equal(Object.keys(monitoring.autoResolve.properties), [...severities]);
  assert.equal(props.remediation.properties.requireApproval.properties.severities.items.enum, [...severities]);
});

test.run();
