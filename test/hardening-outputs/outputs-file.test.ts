// The $PLUGINOPS_OUTPUT format: what the parser accepts and refuses (table-driven), and the
// `pluginops_output NAME VALUE` helper in real bash and sh scripts, with hostile values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputsError, formatOutput, parseOutputs } from '../../src/steps/run/outputs.ts';
import { eventsOf, logsOf, planWorkflow, removeTempDirs, runReal, statuses } from '../engine/helpers.ts';

test.after(removeTempDirs);

const accepted: Array<[string, string, Record<string, string>]> = [
  ['a heredoc value holding `name=value` lines stays one value', 'n<<END\ndirectory=/victim\nEND\n', { n: 'directory=/victim' }],
  ['a body line that only contains the delimiter does not close it', 'n<<END\nxENDx\nEND \nEND\n', { n: 'xENDx\nEND ' }],
  ['a value keeps a trailing empty line', 'n<<D\nx\n\nD\n', { n: 'x\n' }],
  ['a name that is a prototype key is an own property', '__proto__=x\nconstructor=y\n', { ['__proto__']: 'x', constructor: 'y' }],
  ['no newline after the last line', 'a=1', { a: '1' }],
];

for (const [name, text, expected] of accepted) {
  test(`parseOutputs accepts: ${name}`, () => {
    const out = parseOutputs(text);

    assert.equal(Object.entries(out), Object.entries(expected));
    assert.is(Object.getPrototypeOf(out), Object.prototype);
  });
}

const refused: Array<{ name: string; text: string; line: number; key?: string; message: RegExp }> = [
  { name: 'a name set twice', text: 'directory=/a\nlogs=1\ndirectory=/victim\n', line: 3, key: 'directory', message: /line 3 sets `directory` again \(first set on line 1\)/ },
  { name: 'a value with a newline that repeats a name (the forged line)', text: 'directory=/tmp/a\ndirectory=/victim\nb/INC-1\nlogs=0\n', line: 2, key: 'directory', message: /sets `directory` again/ },
  { name: 'a heredoc after a plain line of the same name', text: 'n=1\nn<<X\n2\nX\n', line: 2, key: 'n', message: /sets `n` again/ },
  { name: 'heredoc delimiter injection: a value that ends the heredoc and sets the name again', text: 'notes<<EOF\nhello\nEOF\nnotes=forged\nEOF\n', line: 4, key: 'notes', message: /sets `notes` again/ },
  { name: 'heredoc delimiter injection: a value that ends the heredoc, then a stray line', text: 'notes<<EOF\nx\nEOF\nrm -rf /\nEOF\n', line: 4, message: /line 4 is "rm -rf \/"; expected `name=value` or `name<<DELIMITER`/ },
  { name: 'a line without =', text: 'a=1\ngarbage\n', line: 2, message: /line 2 is "garbage"/ },
  { name: 'a line with an empty name', text: '=novalue\n', line: 1, message: /line 1 is "=novalue"/ },
  { name: 'a name with other characters', text: 'a b=1\n', line: 1, message: /line 1 is "a b=1"/ },
  { name: 'a heredoc that is never closed', text: 'n<<END\nx\n', line: 1, key: 'n', message: /opens `n<<END` but no line holds the delimiter alone/ },
];

for (const c of refused) {
  test(`parseOutputs refuses: ${c.name}`, () => {
    let error: unknown;
    try { parseOutputs(c.text); } catch (e) { error = e; }

    assert.instance(error, OutputsError);
    const e = error as OutputsError;
    assert.is(e.code, 'E_OUTPUTS');
    assert.is(e.line, c.line);
    assert.is(e.key, c.key);
    assert.match(e.message, c.message);
  });
}

const values = ['plain', '', 'two\nlines', 'directory=/victim', 'x\nEOF\ndirectory=/victim', '\n\n', 'tab\tand  spaces', 'n<<EOF', 'a\r\nb'];

test('formatOutput round-trips every value; a value holding the delimiter is refused', () => {
  for (const v of values) assert.equal(parseOutputs(formatOutput('n', v, 'D_1234')), { n: v }, JSON.stringify(v));
  assert.throws(() => formatOutput('n', 'a\nD_1234\nn=forged', 'D_1234'), (e: unknown) => e instanceof OutputsError && /holds the delimiter/.test(e.message));
  assert.throws(() => formatOutput('a b', 'x', 'D'), (e: unknown) => e instanceof OutputsError && /not an output name/.test(e.message));
});

for (const shell of ['bash', 'sh'] as const) {
  test(`pluginops_output in ${shell}: hostile values arrive whole, and add no output`, async () => {
    const graph = planWorkflow(`
      parameters: { v: { type: string } }
      steps:
        - id: a
          shell: ${shell}
          env: { V: "\${{ params.v }}" }
          run: |
            pluginops_output value "$V"
            pluginops_output empty ""
            pluginops_output safe yes
        - id: b
          needs: [a]
          shell: ${shell}
          env: { GOT: "\${{ steps.a.outputs.value }}" }
          run: printf '[%s]\\n' "$GOT"
    `);
    for (const v of values) {
      const { result, events } = await runReal(graph, { params: { v } });

      assert.is(result.status, 'success', JSON.stringify(v));
      assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { value: v, empty: '', safe: 'yes' }, JSON.stringify(v));
      assert.equal(logsOf(events, 'b').join('\n'), `[${v}]`.replace(/\r\n/g, '\n'), JSON.stringify(v));
    }
  });
}

test('pluginops_output refuses a value that holds its delimiter, a bad name and a wrong argument count; line numbers stay the script\'s', async () => {
  const graph = planWorkflow(`
    steps:
      - id: leak
        run: |
          pluginops_output v "$(tr '\\0' '\\n' < /proc/$$/cmdline)"
      - id: name
        run: pluginops_output 'a b' x
      - id: count
        run: pluginops_output only
      - id: lineNumbers
        run: |
          pluginops_output first 1
          no_such_command_pluginops
  `);

  const { events } = await runReal(graph);

  assert.equal(statuses(events), { leak: 'failed', name: 'failed', count: 'failed', lineNumbers: 'failed' });
  assert.ok(logsOf(events, 'leak').some((l) => /the value of v holds the output delimiter; refused/.test(l)), logsOf(events, 'leak').join('\n'));
  assert.ok(logsOf(events, 'name').some((l) => /"a b" is not an output name/.test(l)));
  assert.ok(logsOf(events, 'count').some((l) => /expected NAME VALUE, found 1 argument/.test(l)));
  assert.equal(eventsOf(events, 'step.finished', 'leak')[0]?.outputs ?? {}, {});
  assert.ok(logsOf(events, 'lineNumbers').some((l) => /line 2: no_such_command_pluginops/.test(l)), 'the shell\'s line numbers stay the script\'s');
});

test('in bash the helper reaches child bash scripts', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          pluginops_output a 1
          bash -c 'pluginops_output b "from a child"'
  `);

  const { events } = await runReal(graph);

  assert.equal(eventsOf(events, 'step.finished', 'a')[0]?.outputs, { a: '1', b: 'from a child' });
});

test('the helper is defined only for a script that names it', async () => {
  const graph = planWorkflow(`
    steps:
      - id: a
        run: |
          tr '\\0' ' ' < /proc/$$/cmdline; echo
      - id: b
        run: |
          tr '\\0' ' ' < /proc/$$/cmdline; echo
          pluginops_output ok yes
  `);

  const { events } = await runReal(graph);

  assert.not.match(logsOf(events, 'a').join('\n'), /pluginops_output/);
  assert.match(logsOf(events, 'b').join('\n'), /pluginops_output\(\) \{/);
  assert.equal(eventsOf(events, 'step.finished', 'b')[0]?.outputs, { ok: 'yes' });
});

test.run();
