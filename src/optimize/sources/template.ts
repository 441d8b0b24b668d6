// `${{ plugin }}` in a metric's query or path: the plugin's id put in its place. It is the only
// name these templates know; any other `${{ … }}` (and a `${{` left open) is a problem, said in
// words by `templateProblem` so the document checker can point at it. A value put into a query
// is escaped for a double-quoted PromQL/LogQL string (`job="${{ plugin }}"`); a value put into a
// path must be a plain file name.
export type Filled = { ok: true; text: string } | { ok: false; error: string };

const placeholder = /\$\{\{(.*?)\}\}/gs;
const known = 'plugin';

/** What is wrong with the placeholders in `text`, or undefined when every one is `${{ plugin }}`. */
export function templateProblem(text: string): string | undefined {
  for (const m of text.matchAll(placeholder)) {
    const name = m[1]!.trim();
    if (name !== known) return `\`${m[0]}\` is not a known placeholder; expected \`\${{ plugin }}\` (the plugin's id)`;
  }
  const open = text.replace(placeholder, '').indexOf('${{');
  if (open >= 0) return '`${{` has no closing `}}`; expected `${{ plugin }}`';
  return undefined;
}

/** `text` with every `${{ plugin }}` replaced by `encode(plugin)`. */
export function fillTemplate(text: string, plugin: string, encode: (value: string) => string = (v) => v): Filled {
  const problem = templateProblem(text);
  if (problem !== undefined) return { ok: false, error: problem };
  const value = encode(plugin);
  return { ok: true, text: text.replace(placeholder, () => value) };
}

/** A PromQL or LogQL query for one plugin; the id is escaped for a double-quoted label value. */
export const fillQuery = (query: string, plugin: string): Filled => fillTemplate(query, plugin, escapeLabelValue);

/** A pid file or cgroup path for one plugin; an id that could leave its folder is refused. */
export function fillPath(path: string, plugin: string): Filled {
  if (plugin === '' || plugin === '.' || plugin === '..' || /[/\\\0]/.test(plugin)) {
    return { ok: false, error: `the plugin id ${JSON.stringify(plugin)} cannot be part of a path; expected letters, digits, \`_\` and \`-\`` };
  }
  return fillTemplate(path, plugin);
}

/** Backslash, double quote and line breaks escaped, as inside a double-quoted PromQL/LogQL string. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}
