// action.yml against the code behind it: the inputs it declares are the ones the code reads, the
// outputs the ones it writes, `runs` points at a Node 24 entry that exists, and every workflow the
// project ships (and docs/action.md shows) passes only declared inputs and reads only declared outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { inputNames, outputNames, readInputs, type InputName } from '../../src/action/inputs.ts';
import { root } from '../cli/helpers.ts';
import { inputVariable, loadActionMetadata } from './action-metadata.ts';
import { shippedYaml, type YamlText } from './shipped-yaml.ts';

const meta = loadActionMetadata(root);
const sorted = (xs: Iterable<string>) => [...xs].sort();

test('action.yml declares exactly the inputs of the code\'s table, and readInputs reads each of them', () => {
  assert.equal(sorted(Object.keys(meta.inputs)), sorted(Object.values(inputNames)));
  const asked: string[] = [];
  const get = (name: InputName) => { asked.push(name); return name === inputNames.workflow ? 'testing_only' : meta.inputs[name]?.default ?? ''; };
  readInputs(get, root);
  assert.equal(sorted(new Set(asked)), sorted(Object.keys(meta.inputs)));
});

test('action.yml declares exactly the outputs the code writes', () => {
  assert.equal(sorted(Object.keys(meta.outputs)), sorted(outputNames));
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('no input or output name bypasses the table: names in src/action calls are declared, @actions/core is imported in core.ts only', () => {
  const files = sources(join(root, 'src', 'action'));
  assert.ok(files.length > 5);
  const literal = /\b(getInput|getBooleanInput|getMultilineInput|input|setOutput)\(\s*['"`]([^'"`]+)['"`]/g;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(literal)) {
      const declared = m[1] === 'setOutput' ? Object.keys(meta.outputs) : Object.keys(meta.inputs);
      assert.ok(declared.includes(m[2]!), `${relative(root, f)}: ${m[1]}('${m[2]}') is not declared in action.yml`);
    }
    if (/from '@actions\/core'/.test(text)) assert.is(relative(root, f), join('src', 'action', 'core.ts'));
  }
});

test('runs: node24 with an entry that exists; every input has a runner variable name and a string default', () => {
  assert.is(meta.runs.using, 'node24');
  const main = join(root, meta.runs.main);
  assert.ok(existsSync(main), `${meta.runs.main} does not exist (npm run build)`);
  assert.ok(statSync(main).size > 0);
  assert.is(inputVariable('dry-run'), 'INPUT_DRY-RUN');
  assert.is(inputVariable('a name'), 'INPUT_A_NAME');
  for (const [name, i] of Object.entries(meta.inputs)) assert.ok(i.required || i.default !== undefined, `input \`${name}\` is optional without a default`);
});

/** Steps that run this action: `uses: ./` in the repository, `uses: <owner>/pluginops@<ref>` elsewhere. */
const isThisAction = (uses: unknown) => typeof uses === 'string' && (uses === './' || /^[\w.-]+\/pluginops@/.test(uses));

test('the shipped workflows and the docs pass only declared inputs and read only declared outputs', () => {
  let steps = 0;
  for (const t of shippedYaml(root)) {
    for (const doc of parseAllDocuments(t.text)) {
      const jobs = (doc.toJS() as { jobs?: Record<string, { steps?: Array<Record<string, unknown>> }> } | null)?.jobs;
      if (jobs && typeof jobs === 'object') steps += checkJobs(t, Object.values(jobs));
    }
  }
  assert.ok(steps >= 5, `found ${steps} steps using the action`);
});

function checkJobs(t: YamlText, jobs: Array<{ steps?: Array<Record<string, unknown>> }>): number {
  let steps = 0;
  for (const step of jobs.flatMap((j) => j.steps ?? [])) {
    if (!isThisAction(step.uses)) continue;
    steps++;
    for (const key of Object.keys((step.with as object | undefined) ?? {})) assert.ok(key in meta.inputs, `${t.name}: \`with: ${key}\` is not an input of action.yml`);
    if (typeof step.id !== 'string') continue;
    for (const m of t.text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))) {
      assert.ok(m[1]! in meta.outputs, `${t.name}: steps.${step.id}.outputs.${m[1]} is not an output of action.yml`);
    }
  }
  return steps;
}

test('the input and output tables of docs/action.md name what action.yml declares', () => {
  const readme = readFileSync(join(root, 'docs', 'action.md'), 'utf8');
  const table = (header: RegExp) => {
    const lines = readme.split('\n');
    const start = lines.findIndex((l) => header.test(l));
    assert.ok(start >= 0, `no table ${header}`);
    const names: string[] = [];
    for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      for (const m of lines[i]!.split('|')[1]!.matchAll(/`([^`]+)`/g)) names.push(m[1]!);
    }
    return sorted(names);
  };
  assert.equal(table(/^\| input \| default \| meaning \|/), sorted(Object.keys(meta.inputs)));
  assert.equal(table(/^\| output \| \|/), sorted(Object.keys(meta.outputs)));
});

test.run();
