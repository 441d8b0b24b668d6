// Step outputs: real scripts write `name=value` and `name<<EOF … EOF` to $PLUGINOPS_OUTPUT; later
// steps read them through `${{ steps.a.outputs.name }}` in env:, in with: and in the script text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOutputs } from '../../src/steps/run/outputs.ts';
import { eventsOf, logsOf, planWorkflow, removeTempDirs, runReal, runVirtual, statuses } from './helpers.ts';

test.after(removeTempDirs);

test('outputs written by a real script reach env:, the script text and the step results', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          echo "version=1.2.3" >> "$PLUGINOPS_OUTPUT"
          echo "query=a=b&c=d" >> "$PLUGINOPS_OUTPUT"
          {
            echo "notes<<EOF"
            echo "first line"
            echo "second = line"
            echo "EOF"
          } >> "$PLUGINOPS_OUTPUT"
      - id: b
        needs: [a]
        env:
          VERSION: "v\${{ steps.a.outputs.version }}"
          NOTES: "\${{ steps.a.outputs.notes }}"
        run: |
          echo "env=$VERSION"
          echo "script=" \${{ steps.a.outputs.version }}
          printf '[%s]\\n' \${{ steps.a.outputs.notes }}
          printf '<%s>\\n' "$NOTES"
          echo "query=" \${{ steps.a.outputs.query }}
  `);

  const { result, events } = await runReal(graph);

  assert.is(result.status, 'success');
  assert.equal(result.steps.get('a')?.outputs, { version: '1.2.3', query: 'a=b&c=d', notes: 'first line\nsecond = line' });
  assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { version: '1.2.3', query: 'a=b&c=d', notes: 'first line\nsecond = line' });
  assert.equal(logsOf(events, 'b'), [
    'env=v1.2.3',
    'script= 1.2.3',
    '[first line',
    'second = line]',
    '<first line',
    'second = line>',
    'query= a=b&c=d',
  ]);
});

test('an output read in with: drives a later step (a wait of the output duration, on virtual time)', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: a, run: compute }
      - { id: pause, uses: wait, needs: [a], with: { duration: "\${{ steps.a.outputs.cooldown }}" } }
  `);

  const { result, events, clock } = await runVirtual(graph, { behaviour: () => ({ outputs: 'cooldown=2500ms\n', ms: 100 }) });

  assert.is(result.status, 'success');
  assert.equal(eventsOf(events, 'step.finished', 'pause')[0]?.durationMs, 2500);
  assert.is(clock.now(), 2600);
});

test('a with: value that is invalid once filled in fails the step with a clear message', async () => {
  const graph = planWorkflow(`
    steps:
      - { id: a, run: compute }
      - { id: pause, uses: wait, needs: [a], with: { duration: "\${{ steps.a.outputs.cooldown }}" } }
  `);

  const { result, events } = await runVirtual(graph, { behaviour: () => ({ outputs: 'cooldown=soon\n' }) });

  const pause = eventsOf(events, 'step.finished', 'pause')[0];
  assert.is(result.status, 'failed');
  assert.is(pause?.status, 'failed');
  assert.match(pause?.error ?? '', /after expressions were filled in/);
});

test('outputs of a failing step are still recorded and readable by an always() step', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          echo "reason=disk full" >> "$PLUGINOPS_OUTPUT"
          exit 4
      - id: report
        needs: [a]
        if: always()
        run: echo "a failed because" \${{ steps.a.outputs.reason }} \${{ steps.a.outcome }}
  `);

  const { result, events } = await runReal(graph);

  assert.is(result.status, 'failed');
  assert.equal(statuses(events), { a: 'failed', report: 'success' });
  assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { reason: 'disk full' });
  assert.equal(logsOf(events, 'report'), ['a failed because disk full failure']);
});

test('parseOutputs, table-driven', () => {
  const rows: Array<[string, string, Record<string, string>]> = [
    ['simple pairs', 'a=1\nb=two\n', { a: '1', b: 'two' }],
    ['the first = splits', 'url=http://x/?a=b\n', { url: 'http://x/?a=b' }],
    ['an empty value', 'empty=\n', { empty: '' }],
    ['a later line wins', 'a=1\na=2\n', { a: '2' }],
    ['heredoc keeps lines and = signs', 'n<<END\nx=1\n\ny\nEND\nafter=ok\n', { n: 'x=1\n\ny', after: 'ok' }],
    ['heredoc with an empty body', 'n<<X\nX\n', { n: '' }],
    ['lines without = are ignored', 'garbage\n=novalue\n', {}],
  ];
  for (const [name, text, expected] of rows) assert.equal(parseOutputs(text), expected, name);
});

test.run();
