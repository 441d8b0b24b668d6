// Turns a `run:` script into the text the shell receives. Every `${{ … }}` becomes a quoted
// reference to an environment variable that carries the value, so no value is ever shell text.
import { parseTemplate } from '../../expressions/template.ts';

export interface PreparedScript {
  text: string;
  /** Environment variable name → expression source. */
  expressions: Array<{ name: string; source: string }>;
}

export function prepareScript(script: string): PreparedScript {
  const expressions: PreparedScript['expressions'] = [];
  const text = parseTemplate(script).map((part) => {
    if (part.kind === 'text') return part.text;
    const name = `PLUGINOPS_EXPR_${expressions.length + 1}`;
    expressions.push({ name, source: part.source });
    return `"\${${name}}"`;
  }).join('');
  return { text, expressions };
}
