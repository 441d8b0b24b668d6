// The editor experience, checked with the real yaml-language-server over stdio: the schemas in
// schemas/, mapped by the repository's .vscode/settings.json and by the setup docs/documents.md gives
// users, must report unknown keys as unknown keys, complete `uses:` to the step types with their
// descriptions, check `with:` per step type, stay silent on every shipped document, and reach
// files at any depth.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stepRegistry } from '../../src/steps/registry.ts';
import { YamlLanguageServer, type CompletionItem, type Diagnostic } from './lsp-client.ts';

const repo = join(import.meta.dirname, '..', '..');
const noStore = { schemaStore: { enable: false }, validate: true, completion: true, hover: true };

/** The body of the first fenced block of `lang` on docs/documents.md (the editor set-up) that contains `marker`. */
function docsBlock(lang: string, marker: string): string {
  const blocks = [...readFileSync(join(repo, 'docs', 'documents.md'), 'utf8').matchAll(/```(\w*)[^\n]*\n([\s\S]*?)```/g)];
  const found = blocks.find((b) => b[1] === lang && b[2]!.includes(marker));
  if (!found) throw new Error(`docs/documents.md has no \`\`\`${lang} block with ${marker}`);
  return found[2]!;
}

const repoSettings = JSON.parse(readFileSync(join(repo, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
const docsSettings = JSON.parse(docsBlock('json', '"yaml.schemas"')) as Record<string, unknown>;

let inRepo: YamlLanguageServer | undefined;
let inProject: YamlLanguageServer | undefined;
let project = '';

const server = (s: YamlLanguageServer | undefined): YamlLanguageServer => {
  if (!s) throw new Error('the language server did not start');
  return s;
};

test.before(async () => {
  // A project that installs pluginops as a package: its schemas under node_modules/pluginops.
  project = mkdtempSync(join(tmpdir(), 'pluginops-editor-'));
  mkdirSync(join(project, 'node_modules', 'pluginops'), { recursive: true });
  cpSync(join(repo, 'schemas'), join(project, 'node_modules', 'pluginops', 'schemas'), { recursive: true });
  [inRepo, inProject] = await Promise.all([
    YamlLanguageServer.start(repo, { ...noStore, schemas: repoSettings['yaml.schemas'] }),
    YamlLanguageServer.start(project, { ...noStore, schemas: docsSettings['yaml.schemas'] }),
  ]);
});

test.after(async () => {
  await Promise.all([inRepo?.stop(), inProject?.stop()]);
  if (project) rmSync(project, { recursive: true, force: true });
});

const lineOf = (text: string, needle: string): number => {
  const n = text.split('\n').findIndex((l) => l.includes(needle));
  if (n < 0) throw new Error(`no line holds ${needle}`);
  return n;
};
const at = (diagnostics: Diagnostic[], line: number) => diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message);
const docText = (item: CompletionItem) => (typeof item.documentation === 'string' ? item.documentation : item.documentation?.value ?? '');

const workflow = (steps: string) => `apiVersion: pluginops/v1
kind: Workflow
metadata: { id: editor-check }
spec:
  steps:
${steps}`;

test('(a) an unknown step key is reported as an unknown key, not as a sentence about `uses` and `run`', async () => {
  const text = workflow(`    - id: build
      run: make
      colour: red
    - id: nothing
      name: neither uses nor run
`);

  const diagnostics = await server(inRepo).open(join(repo, 'pipelines', 'editor-a.yml'), text);

  assert.equal(at(diagnostics, lineOf(text, 'colour')), ['Property colour is not allowed.']);
  assert.equal(at(diagnostics, lineOf(text, 'id: nothing')), ['a step needs exactly one of `uses` or `run`']);
  assert.is(diagnostics.length, 2, JSON.stringify(diagnostics));
});

test('(b) completion at `uses: ` offers every step type of the registry, each with its description and inputs', async () => {
  const text = workflow(`    - id: check
      uses: 
`);
  const path = join(repo, 'pipelines', 'editor-b.yml');
  await server(inRepo).open(path, text);

  const items = await server(inRepo).completion(path, { line: lineOf(text, 'uses:'), character: '      uses: '.length });

  assert.equal(items.map((i) => i.label).sort(), [...stepRegistry.uses].sort());
  for (const kind of stepRegistry.uses) {
    const doc = docText(items.find((i) => i.label === kind)!);
    assert.ok(doc.includes(stepRegistry.get(kind)?.description ?? '(none)'), `${kind}: ${doc}`);
  }
  assert.match(docText(items.find((i) => i.label === 'plugin/deploy')!), /required: `archive`, `sha256`/);
});

test('(b) completion inside `with:` offers the inputs of the chosen step type that are not there yet', async () => {
  const text = workflow(`    - id: ping
      uses: http
      with:
        url: https://example.com/health
        
`);
  const path = join(repo, 'pipelines', 'editor-b2.yml');
  await server(inRepo).open(path, text);

  const items = await server(inRepo).completion(path, { line: lineOf(text, 'url:') + 1, character: 8 });

  assert.equal(items.map((i) => i.label).sort(), ['body', 'expect', 'headers', 'method', 'timeout']);
});

test('(c) `with:` is checked against the step type: a wrong input name, a wrong input type, `with` on a run step', async () => {
  const text = workflow(`    - id: ping
      uses: http
      with:
        url: https://example.com/health
        methd: GET
    - id: pause
      uses: wait
      with:
        duration: 5
    - id: soak
      uses: plugin/monitor
      with:
        failureThreshold: many
    - id: script
      run: make
      with: { target: all }
    - id: later
      uses: wait
      with:
        duration: \${{ params.pause }}
`);

  const diagnostics = await server(inRepo).open(join(repo, 'pipelines', 'editor-c.yml'), text);

  assert.equal(at(diagnostics, lineOf(text, 'methd')), ['Property methd is not allowed.']);
  assert.match(at(diagnostics, lineOf(text, 'duration: 5')).join(' '), /Incorrect type\. Expected "string"/);
  assert.match(at(diagnostics, lineOf(text, 'failureThreshold')).join(' '), /Incorrect type\. Expected "integer"/);
  assert.equal(at(diagnostics, lineOf(text, 'target: all')), ['a `run` step takes no `with:`; use `env:` for values the script reads']);
  assert.equal(at(diagnostics, lineOf(text, 'params.pause')), [], 'an expression is left to run time, as the loader does');
  assert.is(diagnostics.length, 4, JSON.stringify(diagnostics));
});

/** Every document the repository ships: pipelines/, the examples' documents and project file. */
function shippedDocuments(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []);
  return [...walk(join(repo, 'pipelines')), ...walk(join(repo, 'examples'))]
    .filter((f) => /\/(pipelines|workflows)\/[^/]+$|\/pluginops\.yml$/.test(f));
}

test('(d) every shipped document, workflows and action plans included, gets no diagnostic; the same file with an unknown key gets one', async () => {
  const files = shippedDocuments();
  assert.ok(files.includes(join(repo, 'pipelines', 'full_deployment.yml')) && files.includes(join(repo, 'pipelines', 'restart_plugin.yml')), files.join(' '));

  const results = await Promise.all(files.map(async (f) => {
    const text = readFileSync(f, 'utf8');
    const clean = await server(inRepo).open(f, text);
    const broken = await server(inRepo).change(f, `${text.trimEnd()}\ncolour: red\n`);
    return { file: relative(repo, f), clean: clean.map((d) => d.message), broken: broken.map((d) => d.message) };
  }));

  assert.equal(results.filter((r) => r.clean.length > 0), []);
  assert.equal(results.filter((r) => !r.broken.includes('Property colour is not allowed.')).map((r) => r.file), [], 'every shipped file has a schema applied');
});

const subfolderDoc = workflow(`    - id: build
      run: make
      colour: red
`);

test('(e) files at any depth get diagnostics through the repository\'s .vscode/settings.json; GitHub workflows are left alone', async () => {
  const [workflows, pipelines, github] = await Promise.all([
    server(inRepo).open(join(repo, 'examples', 'workflows', 'team', 'nightly', 'editor-e.yml'), subfolderDoc),
    server(inRepo).open(join(repo, 'pipelines', 'team', 'a', 'editor-e.yml'), subfolderDoc),
    server(inRepo).open(join(repo, '.github', 'workflows', 'editor-e.yml'), 'name: ci\non: push\njobs: {}\n'),
  ]);

  assert.equal(workflows.map((d) => d.message), ['Property colour is not allowed.']);
  assert.equal(pipelines.map((d) => d.message), ['Property colour is not allowed.']);
  assert.equal(github, []);
});

test('(e) in a project that installs pluginops, the settings docs/documents.md gives reach nested folders and its modeline works one folder down', async () => {
  const modeline = docsBlock('yaml', 'yaml-language-server: $schema=').trim();
  const [nested, deep, outside, withModeline] = await Promise.all([
    server(inProject).open(join(project, 'pipelines', 'team', 'a', 'ship.yml'), subfolderDoc),
    server(inProject).open(join(project, 'services', 'api', 'pipelines', 'deploy', 'ship.yml'), subfolderDoc),
    server(inProject).open(join(project, 'ops', 'ship.yml'), subfolderDoc),
    server(inProject).open(join(project, 'runbooks', 'ship.yml'), `${modeline}\n${subfolderDoc}`),
  ]);

  assert.equal(nested.map((d) => d.message), ['Property colour is not allowed.']);
  assert.equal(deep.map((d) => d.message), ['Property colour is not allowed.']);
  assert.equal(outside, [], 'a folder the settings do not map has no schema');
  assert.equal(withModeline.map((d) => d.message), ['Property colour is not allowed.']);
});

test.run();
