// Every fenced block of README.md and docs/*.md is exercised, so the docs cannot rot: documents
// are validated by pluginops itself, commands run with the built CLI in a copy of the shipped
// examples (serve on 127.0.0.1, port 0; API requests sent with fetch), JSON parses, and YAML
// that is neither is parsed strictly by test/first-contact. A block that cannot run here says
// why in its info string: ```sh no-test: REASON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, root } from '../cli/helpers.ts';
import { shippedYaml } from '../first-contact/shipped-yaml.ts';
import { sendAll } from './api-block.ts';
import { runCommand, wholeProjectFile, yamlRole, type Outcome } from './exercise.ts';
import { blocks, pages, type Block } from './markdown.ts';
import { serve } from './run.ts';
import { parseBlock } from './shell.ts';

const all = pages(root).flatMap(blocks);
const shells = new Set(['sh', 'bash', 'shell', 'console']);
/** Blocks another test runs as users would: the systemd unit and the container recipe. */
const exercisedElsewhere: Record<string, { test: string; reads: string }> = {
  ini: { test: 'test/package/install.test.ts', reads: "serveBlock('ini'" },
  dockerfile: { test: 'test/package/install.test.ts', reads: "serveBlock('dockerfile'" },
};
const tested = (b: Block) => b.noTest === undefined;
const isApiBlock = (b: Block) => shells.has(b.lang) && /^curl /m.test(b.body);

const work = mkdtempSync(join(tmpdir(), 'pluginops-docs-'));
/** One temporary project for every command: a copy of the shipped examples, as the quick start runs them. */
const project = join(work, 'project');
cpSync(join(root, 'examples'), join(project, 'examples'), { recursive: true, filter: (s) => !/[/\\](\.pluginops|__pycache__|node_modules)$/.test(s) });

/** Problems of one page's document blocks, validated together (as they would sit in one project), and of each project file block. */
async function validateBlocks(page: string, list: Block[]): Promise<string[]> {
  const dir = join(work, 'validate', page.replace(/\W/g, '_'));
  mkdirSync(join(dir, 'documents'), { recursive: true });
  const problems: string[] = [];
  const docs = list.filter((b) => yamlRole(b) === 'document');
  for (const b of docs) writeFileSync(join(dir, 'documents', `${page.replace(/\W/g, '_')}-L${b.line}.yml`), b.body);
  if (docs.length) {
    const r = await cli(['validate', 'documents'], dir);
    if (r.code !== 0) problems.push(`${page}: documents do not validate:\n${r.stderr}${r.stdout}`);
  }
  for (const b of list.filter((x) => yamlRole(x) === 'project')) {
    const file = join(dir, `pluginops-L${b.line}.yml`);
    writeFileSync(file, wholeProjectFile(b.body));
    mkdirSync(join(dir, 'empty'), { recursive: true });
    writeFileSync(join(dir, 'empty', 'w.yml'), 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: w }\nspec:\n  steps: [{ id: s, run: "true" }]\n');
    const r = await cli(['validate', '--config', file, 'empty'], dir);
    if (r.code !== 0) problems.push(`${page}:${b.line}: the project file does not validate:\n${r.stderr}${r.stdout}`);
  }
  return problems;
}

/** Runs a page's shell blocks in order, each command as the docs give it. */
async function runShellBlocks(list: Block[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const b of list) for (const c of parseBlock(b.body, b.line + 1)) outcomes.push(await runCommand(c, b.file, project));
  return outcomes;
}

/** The API block against a serve with a token, in a project that has the documents its requests name. */
async function runApiBlock(b: Block): Promise<string[]> {
  const api = join(work, 'api');
  cpSync(join(root, 'examples'), join(api, 'examples'), { recursive: true, filter: (s) => !/[/\\](\.pluginops|__pycache__)$/.test(s) });
  mkdirSync(join(api, 'pipelines'));
  writeFileSync(join(api, 'pipelines', 'nightly.yml'), readFileSync(join(root, 'examples', 'workflows', 'hello.yml'), 'utf8').replace(/id: hello\b/, 'id: nightly'));
  cpSync(join(root, 'examples', 'monitoring', 'pipelines', 'checks.yml'), join(api, 'pipelines', 'checks.yml'));
  writeFileSync(join(api, 'pluginops.yml'), 'apiVersion: pluginops/v1\nkind: Project\nserver:\n  tokens:\n    - { name: ci, token: { env: PLUGINOPS_TOKEN_CI }, scopes: [read, write] }\n    - { name: oncall, token: { env: PLUGINOPS_TOKEN_ONCALL }, scopes: [admin] }\n');
  const token = 'docs-token-0123456789', admin = 'docs-admin-token-0123456789';
  const s = await serve(['--port', '0'], api, { PLUGINOPS_TOKEN_CI: token, PLUGINOPS_TOKEN_ONCALL: admin });
  try {
    const vars: Record<string, string> = { PLUGINOPS_TOKEN_CI: token, PLUGINOPS_TOKEN_ONCALL: admin, API: `${s.url}/api` };
    const sent = await sendAll(parseBlock(b.body.replace(/http:\/\/127\.0\.0\.1:8080/g, s.url), b.line + 1), vars, api);
    assert.ok(sent.length >= 10, `sent ${sent.length} requests`);
    return sent.filter((x) => x.problem).map((x) => `${b.file}:${x.line}: ${x.request}: ${x.problem}`);
  } finally {
    await s.stop();
  }
}

// The slow parts (deliveries with a soak window, serve) start at once and run side by side.
const byPage = new Map<string, Block[]>();
for (const b of all) byPage.set(b.file, [...(byPage.get(b.file) ?? []), b]);
const shellRuns = Promise.all([...byPage.values()].map((list) => runShellBlocks(list.filter((b) => tested(b) && shells.has(b.lang) && !isApiBlock(b)))))
  .then((o) => o.flat(), (e: Error) => [{ at: '?', command: '?', problem: e.stack ?? e.message }]);
const apiRuns = Promise.all(all.filter((b) => tested(b) && isApiBlock(b)).map(runApiBlock)).then((p) => p.flat(), (e: Error) => [e.stack ?? e.message]);

test('the README\'s test command is exactly what .ci/run runs, and its quick start runs a shipped example', () => {
  const quick = all.find((b) => b.file === 'README.md' && shells.has(b.lang) && tested(b))!;
  const [deliver, suite] = quick.body.trim().split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
  const ci = readFileSync(join(root, '.ci', 'run'), 'utf8').trim().split('\n').filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
  assert.is(suite, ci[ci.length - 1], 'the README\'s test command');
  assert.match(deliver!, /^npm ci && npx pluginops run \S+ --plugin examples\/plugins\/\w+$/);
});

test('every block is of a kind the test exercises, or carries `no-test:` with its reason; those are few', () => {
  const known = new Set([...shells, 'yaml', 'yml', 'json', 'text', '', ...Object.keys(exercisedElsewhere)]);
  assert.equal(all.filter((b) => !known.has(b.lang)).map((b) => `${b.file}:${b.line} ${b.lang}`), []);
  // CommonMark: the info string of a backtick fence holds no backtick, or the line is no fence at all.
  assert.equal(all.filter((b) => b.info.includes('`')).map((b) => `${b.file}:${b.line}`), []);
  const skipped = all.filter((b) => !tested(b));
  assert.equal(skipped.filter((b) => b.noTest!.length < 12).map((b) => `${b.file}:${b.line}`), [], 'a no-test annotation gives its reason');
  assert.ok(skipped.length <= 7, `${skipped.length} blocks are not exercised: ${skipped.map((b) => `${b.file}:${b.line}`).join(', ')}`);
  assert.ok(all.filter(tested).length >= 40, `${all.length} blocks`);
});

test('every pluginops document and project file in the docs is valid', async () => {
  const problems = (await Promise.all([...byPage].map(([page, list]) => validateBlocks(page, list.filter((b) => tested(b) && (b.lang === 'yaml' || b.lang === 'yml')))))).flat();
  assert.equal(problems, []);
  const roles = all.filter((b) => b.lang === 'yaml').map(yamlRole);
  assert.ok(roles.filter((r) => r === 'document').length >= 9 && roles.filter((r) => r === 'project').length >= 10, roles.join(' '));
});

test('the other yaml blocks are among what test/first-contact parses strictly', () => {
  const parsed = new Set(shippedYaml(root).map((t) => t.name));
  const other = all.filter((b) => (b.lang === 'yaml' || b.lang === 'yml') && (!tested(b) || yamlRole(b) === 'other'));
  assert.ok(other.length >= 3);
  assert.equal(other.filter((b) => !parsed.has(`${b.file}:${b.line + 1}`)).map((b) => `${b.file}:${b.line}`), []);
});

test('a rules test fixture in the docs passes `rules test`, written where its first line says it lives', async () => {
  const fixtures = all.filter((b) => b.lang === 'yaml' && tested(b) && /^tests:/m.test(b.body) && /^rules:/m.test(b.body));
  assert.ok(fixtures.length >= 1);
  for (const b of fixtures) {
    const at = /^# (\S+\.test\.ya?ml)\b/.exec(b.body);
    assert.ok(at, `${b.file}:${b.line} names the file it belongs in`);
    const file = join(project, at![1]!.replace(/\.test\.ya?ml$/, `.docs-L${b.line}.test.yml`));
    writeFileSync(file, b.body);
    const r = await cli(['rules', 'test', file], project);
    assert.is(r.code, 0, `${b.file}:${b.line}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /✓/);
  }
});

test('json blocks parse', () => {
  const json = all.filter((b) => b.lang === 'json' && tested(b));
  assert.ok(json.length >= 2);
  for (const b of json) assert.not.throws(() => JSON.parse(b.body), `${b.file}:${b.line}`);
});

test('the unit and container blocks are run by the test that reads them', () => {
  for (const b of all.filter((x) => x.lang in exercisedElsewhere)) {
    const by = exercisedElsewhere[b.lang]!;
    const source = readFileSync(join(root, by.test), 'utf8');
    assert.ok(source.includes(by.reads) && source.includes(b.file), `${b.file}:${b.line} (${b.lang}) is read by ${by.test}`);
  }
});

/** Commands with sub-commands (`executions list`). */
const groups = new Set(['executions', 'check', 'rules', 'incidents', 'remediation', 'backup', 'maintenance', 'optimize', 'workers', 'tasks', 'db', 'store']);

test('the command synopsis names real commands and options', async () => {
  const synopsis = all.filter((b) => b.lang === '' && tested(b));
  assert.equal(synopsis.map((b) => b.file), ['docs/cli.md'], 'plain blocks are the synopsis; diagrams and listings are ```text');
  const lines = synopsis[0]!.body.trim().split('\n');
  const problems = await Promise.all(lines.map(async (l) => {
    const words = l.split(/\s+/).slice(1);
    const command = groups.has(words[0]!) ? words.slice(0, 2) : words.slice(0, 1);
    const help = await cli([...command, '--help'], project);
    const missing = [...l.matchAll(/--[a-z-]+/g)].map((m) => m[0]).filter((o) => !help.stdout.includes(o));
    return help.code === 0 && missing.length === 0 ? undefined : `${l}: help exit ${help.code}, options not in its help: ${missing.join(' ')}`;
  }));
  assert.equal(problems.filter(Boolean), []);
});

test('every command of a shell block ends as the docs say', async () => {
  const outcomes = await shellRuns;
  assert.ok(outcomes.length >= 15, `ran ${outcomes.length} commands`);
  assert.equal(outcomes.filter((o) => o.problem).map((o) => `${o.at}: ${o.command}: ${o.problem}`), []);
});

test('every request of the HTTP API block reaches its route on a real serve', async () => {
  assert.equal(await apiRuns, []);
});

test('a block that rots fails: an unknown key, a bad project file, a command that now fails, an unknown command, a gone route, a bare no-test', async () => {
  const block = (lang: string, body: string, line = 1, noTest?: string): Block => ({ file: 'docs/rotten.md', line, lang, noTest, body, info: lang });
  const problems = await validateBlocks('docs/rotten.md', [
    block('yaml', 'apiVersion: pluginops/v1\nkind: Workflow\nmetadata: { id: rotten }\nspec:\n  colour: red\n  steps: [{ id: a, run: "true" }]\n', 3),
    block('yaml', '# pluginops.yml\ntargets:\n  prod: { type: ftp, path: /srv }\n', 11),
  ]);
  assert.is(problems.length, 2, problems.join('\n'));
  assert.match(problems[0]!, /docs_rotten_md-L3\.yml:5:3: E_UNKNOWN_KEY/);
  assert.match(problems[1]!, /^docs\/rotten\.md:11: the project file does not validate/);

  const [gone, wrongExit, unknown] = parseBlock('npx pluginops validate examples/nowhere\nnpx pluginops validate examples/workflows   # (exit 1)\nmake deploy\n', 20);
  const outcomes = await Promise.all([gone!, wrongExit!, unknown!].map((c) => runCommand(c, 'docs/rotten.md', project)));
  assert.match(outcomes[0]!.problem ?? '', /^exit 1, the docs imply 0:\n[^]*E_FILE_NOT_FOUND/);
  assert.match(outcomes[1]!.problem ?? '', /^exit 0, the docs imply 1/);
  assert.match(outcomes[2]!.problem ?? '', /not a pluginops or npm command/);
  assert.equal(outcomes.map((o) => o.at), ['docs/rotten.md:20', 'docs/rotten.md:21', 'docs/rotten.md:22']);

  const sent = await sendAll(parseBlock("curl -s -H 'Authorization: Bearer x' $API/executions/<id>/replay\n", 30), { API: 'http://127.0.0.1:9/api' }, project);
  assert.equal(sent.map((s) => s.problem), ['no route GET /api/executions/x/replay']);

  const bare = blocks({ file: 'docs/rotten.md', text: '```sh no-test:\nnpx pluginops serve\n```\n```sh no-test: needs a GitHub runner\nx\n```\n```json\n{ "a": 1, }\n```\n' });
  assert.equal(bare.map((b) => b.noTest), ['', 'needs a GitHub runner', undefined]);
  assert.throws(() => JSON.parse(bare[2]!.body));
});

test.run();
