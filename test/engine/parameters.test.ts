// resolveParameters: defaults, conversion of command-line strings, required, enum and unknown
// names, table-driven; then the resolved values as a run sees them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ParameterDoc } from '../../src/documents/schema/index.ts';
import { ParameterError, resolveParameters } from '../../src/engine/parameters.ts';
import { logsOf, planWorkflow, removeTempDirs, runReal } from './helpers.ts';

test.after(removeTempDirs);

const declared: Record<string, ParameterDoc> = {
  env: { type: 'string', enum: ['dev', 'staging', 'prod'], default: 'dev' },
  replicas: { type: 'number', default: 1 },
  dryRun: { type: 'boolean', default: false },
  version: { type: 'string', required: true, description: 'the release to deploy' },
  shard: { type: 'number', enum: [1, 2, 4] },
  note: {},
};

interface Ok { name: string; given: Record<string, unknown>; expected: Record<string, unknown> }

const ok: Ok[] = [
  { name: 'defaults fill what is not given', given: { version: '1.0' }, expected: { env: 'dev', replicas: 1, dryRun: false, version: '1.0' } },
  { name: 'strings convert to numbers', given: { version: '1', replicas: '3' }, expected: { env: 'dev', replicas: 3, dryRun: false, version: '1' } },
  { name: 'decimal and padded numbers', given: { version: '1', replicas: ' 2.5 ' }, expected: { env: 'dev', replicas: 2.5, dryRun: false, version: '1' } },
  { name: '"true" and "false" convert to booleans', given: { version: '1', dryRun: 'true' }, expected: { env: 'dev', replicas: 1, dryRun: true, version: '1' } },
  { name: 'a number given for a string becomes text', given: { version: 2 }, expected: { env: 'dev', replicas: 1, dryRun: false, version: '2' } },
  { name: 'an enum value is accepted', given: { version: '1', env: 'prod' }, expected: { env: 'prod', replicas: 1, dryRun: false, version: '1' } },
  { name: 'a numeric enum compares after conversion', given: { version: '1', shard: '4' }, expected: { env: 'dev', replicas: 1, dryRun: false, version: '1', shard: 4 } },
  { name: 'an untyped parameter is a string', given: { version: '1', note: true }, expected: { env: 'dev', replicas: 1, dryRun: false, version: '1', note: 'true' } },
];

for (const c of ok) {
  test(`resolveParameters: ${c.name}`, () => {
    const resolved = resolveParameters(declared, c.given);

    assert.equal(resolved, c.expected);
  });
}

interface Bad { name: string; given: Record<string, unknown>; message: string }

const bad: Bad[] = [
  { name: 'a required parameter is missing', given: {}, message: 'parameter `version` is required (the release to deploy)' },
  { name: 'a number that is not a number', given: { version: '1', replicas: 'three' }, message: 'parameter `replicas` is "three", expected a number' },
  { name: 'an empty number', given: { version: '1', replicas: '' }, message: 'parameter `replicas` is "", expected a number' },
  { name: 'a boolean spelled otherwise', given: { version: '1', dryRun: 'yes' }, message: 'parameter `dryRun` is "yes", expected a boolean' },
  { name: 'a value outside the enum', given: { version: '1', env: 'qa' }, message: 'parameter `env` is "qa", expected one of: dev, staging, prod' },
  { name: 'a number outside a numeric enum', given: { version: '1', shard: 3 }, message: 'parameter `shard` is 3, expected one of: 1, 2, 4' },
  { name: 'an unknown parameter', given: { version: '1', enviroment: 'prod' }, message: 'unknown parameter `enviroment`; expected one of: env, replicas, dryRun, version, shard, note' },
  { name: 'an object where a string is expected', given: { version: { major: 1 } }, message: 'parameter `version` is {"major":1}, expected a string' },
];

for (const c of bad) {
  test(`resolveParameters rejects ${c.name}`, () => {
    let error: unknown;

    try { resolveParameters(declared, c.given); } catch (e) { error = e; }

    assert.instance(error, ParameterError);
    assert.is((error as ParameterError).code, 'E_PARAMETER');
    assert.is((error as ParameterError).message, c.message);
  });
}

test('without declarations every given parameter passes through unchanged', () => {
  const resolved = resolveParameters({}, { anything: 'x', n: 3 });

  assert.equal(resolved, { anything: 'x', n: 3 });
});

test('resolved parameters reach a run: converted types, defaults, workflow env', async () => {
  const graph = planWorkflow(`
    parameters:
      replicas: { type: number, default: 1 }
      dryRun: { type: boolean, default: false }
      env: { type: string, default: dev }
    env:
      TARGET: "deploy-\${{ params.env }}"
    steps:
      - id: show
        if: "params.replicas > 2 && !params.dryRun"
        run: echo "$TARGET" \${{ params.replicas }} \${{ params.dryRun }}
  `);
  const params = resolveParameters(graph.parameters, { replicas: '5', env: 'prod' });

  const { result, events } = await runReal(graph, { params });

  assert.is(result.status, 'success');
  assert.equal(logsOf(events, 'show'), ['deploy-prod 5 false']);
});

test.run();
