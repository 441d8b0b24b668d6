// Every YAML text the project ships parses with the parsers its users' tools use: the `yaml`
// package (errors and warnings both fail, duplicate keys refused) and PyYAML, whose rules GitHub's
// runner shares for action metadata and workflows. A test that ran `dist/index.js` directly never
// noticed that `action.yml` itself did not parse; this one reads what the runner reads.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../cli/helpers.ts';
import { pyYamlProblems, shippedYaml, yamlPackageProblems, type YamlText } from './shipped-yaml.ts';

const texts = shippedYaml(root);
let py: ReturnType<typeof pyYamlProblems> | undefined;
const pyYaml = () => (py ??= pyYamlProblems(texts));

test('the walk finds the action metadata, the workflows, the templates, the examples, the rules and the yaml blocks of the README and docs/', () => {
  const names = texts.map((t) => t.name);
  for (const f of ['action.yml', '.github/workflows/ci.yml', 'pipelines/full_deployment.yml', 'examples/workflows/hello.yml', 'rules/security.yml']) {
    assert.ok(names.includes(f), `${f} is not among ${names.join(', ')}`);
  }
  assert.ok(texts.filter((t) => t.file === 'README.md').length >= 5, 'the README\'s yaml blocks: one per document kind');
  assert.ok(texts.filter((t) => t.file.startsWith('docs/')).length >= 10, 'the yaml blocks of docs/');
  assert.not.ok(names.some((n) => n.startsWith('test/') || n.startsWith('node_modules/')), 'fixtures and dependencies are not shipped');
});

for (const t of texts) {
  const what = `${t.name}${t.fragment ? ' (a fragment: parsed, not a whole document)' : ''}`;
  test(`${what} parses with the yaml package, without errors or warnings`, () => {
    assert.equal(yamlPackageProblems(t), []);
  });
  test(`${what} parses with PyYAML (safe_load_all)`, () => {
    const r = pyYaml();
    if (!r.ok) return assert.unreachable(r.why);
    assert.ok(r.problems.has(t.name), `PyYAML did not answer for ${t.name}`);
    assert.is(r.problems.get(t.name), undefined);
  });
}

test('the checks catch what users\' tools refuse: a plain scalar holding ": ", a duplicate key, an unknown tag; inside Markdown too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pluginops-yaml-'));
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'action.yml'), 'inputs:\n  params:\n    description: Parameters, e.g. "target: production".\n');
  writeFileSync(join(dir, 'dup.yaml'), 'a: 1\na: 2\n');
  writeFileSync(join(dir, 'docs', 'guide.md'), '# Guide\n\ntext\n\n```yaml\nok: true\nwhy: e.g. a: b\n```\n\n- item\n\n  ```yml\n  tagged: !nope x\n  ```\n');
  const found = shippedYaml(dir);
  assert.equal(found.map((t) => t.name), ['action.yml', 'docs/guide.md:6', 'docs/guide.md:13', 'dup.yaml']);
  const problems = (name: string) => yamlPackageProblems(found.find((t) => t.name === name)!).join('\n');
  assert.match(problems('action.yml'), /^action\.yml:3:\d+: /);
  assert.match(problems('docs/guide.md:6'), /^docs\/guide\.md:7:\d+: /);
  assert.match(problems('docs/guide.md:13'), /^docs\/guide\.md:13:\d+: TAG_RESOLVE_FAILED/);
  assert.match(problems('dup.yaml'), /^dup\.yaml:2:1: DUPLICATE_KEY/);

  const r = pyYamlProblems(found);
  if (!r.ok) return assert.unreachable(r.why);
  assert.match(r.problems.get('action.yml') ?? '', /^action\.yml:3:\d+: mapping values are not allowed here/);
  assert.match(r.problems.get('docs/guide.md:6') ?? '', /^docs\/guide\.md:7:\d+: mapping values are not allowed here/);
  assert.match(r.problems.get('docs/guide.md:13') ?? '', /could not determine a constructor for the tag '!nope'/);
});

test('without python3 or PyYAML the check fails and says how to install it, rather than passing', () => {
  const one: YamlText[] = [{ name: 'a.yml', file: 'a.yml', firstLine: 1, text: 'a: 1\n', fragment: false }];
  const noSitePackages = pyYamlProblems(one, ['python3', '-S', '-I']);
  assert.equal(noSitePackages.ok, false);
  assert.match(noSitePackages.ok ? '' : noSitePackages.why, /PyYAML is not installed for python3 .*apt-get install python3-yaml/);
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const r = pyYamlProblems(one);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.why, /python3 could not be started .*PyYAML/);
  } finally {
    process.env.PATH = path;
  }
});

test.run();
