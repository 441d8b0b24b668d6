// The project file's people and groups: an escalation recipient that names neither, a group member
// who is not a person, and a name that is both are located errors when the file is loaded (and
// `pluginops validate` prints them with file:line:col and exits non-zero).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidDocumentsError } from '../../src/documents/diagnostics.ts';
import { loadProject } from '../../src/project/load.ts';
import { cli } from '../cli/helpers.ts';

const project = (lines: string[]): string => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-recipients-'));
  writeFileSync(join(dir, 'pluginops.yml'), ['apiVersion: pluginops/v1', 'kind: Project', 'documents: []', ...lines].join('\n') + '\n');
  return dir;
};

const problems = async (dir: string) => {
  try {
    await loadProject(dir);
  } catch (e) {
    if (e instanceof InvalidDocumentsError) return e.diagnostics;
    throw e;
  }
  return [];
};

const people = [
  'people:',
  '  alice: { email: alice@example.com, slack: U0ALICE01 }',
  'groups:',
  '  oncall: { members: [alice], slack: S0ONCALL1 }',
];

test('recipients that name people and groups load', async () => {
  const dir = project([...people, 'monitoring:', '  escalation:', '    critical: { steps: [{ after: 5m, channels: [email], recipients: [alice, oncall] }] }']);
  const p = await loadProject(dir);
  assert.equal(p.config.people?.alice, { email: 'alice@example.com', slack: 'U0ALICE01' });
});

test('an unknown recipient is located at its name', async () => {
  const dir = project([...people, 'monitoring:', '  escalation:', '    critical:', '      steps:', '        - after: 5m', '          channels: [email]', '          recipients: [alice, carol]']);
  const [d, ...more] = await problems(dir);
  assert.is(more.length, 0);
  assert.equal({ file: d?.file, line: d?.line, col: d?.col, code: d?.code }, { file: 'pluginops.yml', line: 14, col: 31, code: 'E_UNKNOWN_REFERENCE' });
  assert.match(d!.message, /recipient `carol` is not under people: or groups:; expected one of: alice, oncall/);
});

test('without people or groups, recipients are plain names: the project loads and they are shown as they are', async () => {
  const dir = project(['monitoring:', '  escalation:', '    warning: { steps: [{ after: 30m, channels: [email], recipients: [admin, "DBA team"] }] }']);
  assert.equal(await problems(dir), []);
  const p = await loadProject(dir);
  assert.equal(p.config.monitoring?.escalation?.warning?.steps[0]?.recipients, ['admin', 'DBA team']);
});

test('a group member who is not a person, and a name that is both, are errors', async () => {
  const dir = project(['people:', '  alice: { email: alice@example.com }', 'groups:', '  ops: { members: [alice, bob] }', '  alice: { slack: S0ALICE01 }']);
  const found = (await problems(dir)).map((d) => `${d.line}:${d.col} ${d.code}`).sort();
  assert.equal(found, ['8:3 E_DUPLICATE_ID', '7:27 E_UNKNOWN_REFERENCE'].sort());
});

test('a Slack id or an address that could inject is refused by the schema', async () => {
  const dir = project(['people:', '  mallory: { email: "a@b.c>\\nBcc: x@y.z", slack: "<!channel>" }']);
  const codes = (await problems(dir)).map((d) => d.code);
  assert.is(codes.length, 2);
});

test('pluginops validate prints the located error and exits non-zero', async () => {
  const dir = project([...people, 'monitoring:', '  escalation:', '    danger: { steps: [{ after: 15m, channels: [email], recipients: [nobody] }] }']);
  const r = await cli(['validate'], dir);
  assert.is.not(r.code, 0);
  assert.match(r.stdout + r.stderr, /pluginops\.yml:10:\d+/);
  assert.match(r.stdout + r.stderr, /recipient `nobody`/);
});

test.run();
