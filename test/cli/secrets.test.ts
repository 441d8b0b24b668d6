// Secrets named in the project file are masked in every output: the run's lines and JSON
// events, and the logs and outputs kept in the store.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, project, workflow } from './helpers.ts';

const secret = 'hunter2-very-secret';

test('a project secret never reaches stdout, JSON events or the store', async () => {
  const dir = project({
    'pluginops.yml': 'apiVersion: pluginops/v1\nkind: Project\nsecrets: [API_TOKEN]\n',
    'w.yml': workflow('w', `    - id: leak
      run: |
        echo "token=$API_TOKEN"
        echo "encoded=$(printf %s "$API_TOKEN" | base64)"
        echo "out=$API_TOKEN" >> "$PLUGINOPS_OUTPUT"
        exit 3
`),
  });
  const env = { API_TOKEN: secret };
  const lines = await cli(['run', 'w.yml'], dir, { env });
  const json = await cli(['run', 'w.yml', '--json'], dir, { env });
  assert.is(lines.code, 1);
  assert.match(lines.stdout, /\[leak\] token=\*\*\*/);
  assert.match(lines.stdout, /\[leak\] encoded=\*\*\*/);
  const stored = readdirSync(join(dir, '.pluginops')).flatMap((d) => readdirSync(join(dir, '.pluginops', d)).map((f) => readFileSync(join(dir, '.pluginops', d, f), 'utf8')));
  for (const text of [lines.stdout, json.stdout, ...stored]) {
    assert.not.ok(text.includes(secret), 'raw secret');
    assert.not.ok(text.includes(Buffer.from(secret).toString('base64')), 'base64 secret');
  }
  assert.ok(json.stdout.includes('"out":"***"'));
});

test.run();
