// Runbook parameters of a suggestion: the strings of `apply.with` may hold `${{ plugin }}`,
// `${{ value }}` and `${{ previous }}`. A string that is exactly one expression takes the value
// with its type (a number stays a number); inside other text it is written as text. Nothing else
// may appear between the braces. Values reach the runbook as parameters, which it checks against
// its declarations and passes to scripts through the environment, never as script text.

export type ParamName = 'plugin' | 'value' | 'previous';
export const paramNames: readonly ParamName[] = ['plugin', 'value', 'previous'];

const expression = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const whole = /^\$\{\{\s*([^}]*?)\s*\}\}$/;

/** What is wrong with the expressions of one `with` value, or undefined. */
export function paramProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  for (const m of value.matchAll(expression)) {
    if (!(paramNames as readonly string[]).includes(m[1]!)) return `\`\${{ ${m[1]} }}\` is not known here; expected \`\${{ plugin }}\`, \`\${{ value }}\` or \`\${{ previous }}\``;
  }
  return undefined;
}

/** The parameters with their expressions replaced; an expression whose value is absent is an error message. */
export function renderParams(withDoc: Readonly<Record<string, unknown>>, values: Partial<Record<ParamName, string | number>>): { ok: true; params: Record<string, unknown> } | { ok: false; error: string } {
  const params: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(withDoc)) {
    if (typeof raw !== 'string') { params[name] = raw; continue; }
    const single = whole.exec(raw);
    if (single) {
      const v = values[single[1] as ParamName];
      if (v === undefined) return { ok: false, error: `parameter ${name}: \`${raw}\` has no value for this suggestion` };
      params[name] = v;
      continue;
    }
    let missing: string | undefined;
    params[name] = raw.replace(expression, (_, key: string) => {
      const v = values[key as ParamName];
      if (v === undefined) { missing = key; return ''; }
      return String(v);
    });
    if (missing) return { ok: false, error: `parameter ${name}: \`\${{ ${missing} }}\` has no value for this suggestion` };
  }
  return { ok: true, params };
}
