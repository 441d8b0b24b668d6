// The outputs a script writes to $PLUGINOPS_OUTPUT: `name=value` lines, or any value as
// `name<<DELIMITER` … `DELIMITER`. The file is refused as a whole (no output is set) when a
// name is set twice or a line is neither form: a value holding a newline that was written as
// `name=$value` adds lines of its own, and refusing them keeps it from replacing another output.
// `pluginops_output NAME VALUE` (see output-helper.ts) writes the second form with a random
// delimiter, so no value can end it early.
import { PluginopsError, type ErrorLocation } from '../../errors/base.ts';

export class OutputsError extends PluginopsError {
  readonly code = 'E_OUTPUTS';
  readonly kind = 'invalid';
  constructor(message: string, readonly line: number, readonly key?: string) { super(message); }
  /** The line of the outputs file; the file is the step's own. */
  override get location(): ErrorLocation { return { line: this.line }; }
}

export const outputName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const heredocStart = /^([A-Za-z_][A-Za-z0-9_-]*)<<(.+)$/;

const hint = 'write each value with `pluginops_output NAME VALUE`, never as `name=$value`';

export function parseOutputs(text: string): Record<string, string> {
  const out = new Map<string, { value: string; line: number }>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const set = (name: string, value: string, line: number) => {
    const first = out.get(name);
    if (first) throw new OutputsError(`$PLUGINOPS_OUTPUT line ${line} sets \`${name}\` again (first set on line ${first.line}); an output is set once: a value holding a newline adds lines of its own, so ${hint}`, line, name);
    out.set(name, { value, line });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = heredocStart.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      let end = i + 1;
      while (end < lines.length && lines[end] !== delimiter) body.push(lines[end++]!);
      if (end >= lines.length) throw new OutputsError(`$PLUGINOPS_OUTPUT line ${i + 1} opens \`${name}<<${delimiter}\` but no line holds the delimiter alone; expected a closing \`${delimiter}\` line`, i + 1, name);
      set(name!, body.join('\n'), i + 1);
      i = end;
      continue;
    }
    if (line === '') continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq) : '';
    if (!outputName.test(name)) {
      const shown = line.length > 60 ? `${line.slice(0, 57)}...` : line;
      throw new OutputsError(`$PLUGINOPS_OUTPUT line ${i + 1} is ${JSON.stringify(shown)}; expected \`name=value\` or \`name<<DELIMITER\` (a name of letters, digits, _ and -): a value holding a newline adds lines of its own, so ${hint}`, i + 1);
    }
    set(name, line.slice(eq + 1), i + 1);
  }
  return Object.fromEntries([...out].map(([k, v]) => [k, v.value]));
}

/** `name<<DELIMITER` … `DELIMITER` for `value`; refuses a delimiter the value holds. */
export function formatOutput(name: string, value: string, delimiter: string): string {
  if (!outputName.test(name)) throw new OutputsError(`\`${name}\` is not an output name; expected letters, digits, _ and -, starting with a letter or _`, 0, name);
  if (delimiter === '' || delimiter.includes('\n') || value.includes(delimiter)) throw new OutputsError(`the value of \`${name}\` holds the delimiter; expected a delimiter the value does not hold`, 0, name);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}
