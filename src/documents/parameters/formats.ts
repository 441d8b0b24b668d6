// The named formats a string parameter may declare (`format: path`). Each is a small pure
// check with words for what was expected; the same checks run in `validate` (on defaults) and
// when a run receives values (command line, --data, the API, an approver's Modify).

export const parameterFormats = ['path', 'absolute-path', 'relative-path', 'id', 'uri', 'hostname'] as const;
export type ParameterFormat = typeof parameterFormats[number];

interface FormatRule {
  /** What a value of this format is, for messages: "expected …". */
  expected: string;
  /** Why `value` is not of the format, or undefined when it is. */
  problem(value: string): string | undefined;
}

const control = /[\u0000-\u001f\u007f]/;

/** A path the shell and the file system read the same way, whatever the current directory holds. */
function pathProblem(value: string): string | undefined {
  if (control.test(value)) return 'it holds a control character (a newline, a tab, NUL …)';
  if (value === '/') return undefined;
  const segments = (value.startsWith('/') ? value.slice(1) : value).split('/');
  if (segments.some((s) => s === '')) return 'it has an empty segment (`//` or a trailing `/`)';
  if (segments.some((s) => s === '..')) return 'it has a `..` segment';
  if (segments.some((s) => s === '.')) return 'it has a `.` segment';
  if (value.startsWith('-')) return 'it starts with `-`, which commands take for an option';
  return undefined;
}

const hostname = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const rules: Record<ParameterFormat, FormatRule> = {
  path: { expected: 'a plain file path (no `..`, `.` or empty segments, no control characters)', problem: pathProblem },
  'absolute-path': {
    expected: 'an absolute file path starting with `/` (no `..`, `.` or empty segments, no control characters)',
    problem: (v) => (v.startsWith('/') ? pathProblem(v) : 'it does not start with `/`'),
  },
  'relative-path': {
    expected: 'a relative file path (no leading `/`, no `..`, `.` or empty segments, no control characters)',
    problem: (v) => (v.startsWith('/') ? 'it starts with `/`' : pathProblem(v)),
  },
  id: {
    expected: 'an id: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 128 characters',
    problem: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(v) ? undefined : 'it holds other characters or is too long'),
  },
  uri: {
    expected: 'an absolute http:// or https:// URL without spaces or control characters',
    problem: (v) => {
      if (/[\s\u0000-\u001f\u007f]/.test(v)) return 'it holds a space or a control character';
      let url: URL;
      try { url = new URL(v); } catch { return 'it does not parse as a URL'; }
      return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `its scheme is ${url.protocol.slice(0, -1)}`;
    },
  },
  hostname: {
    expected: 'a host name: dot-separated labels of letters, digits and `-`',
    problem: (v) => (hostname.test(v) ? undefined : 'it is not a host name'),
  },
};

export const isParameterFormat = (name: string): name is ParameterFormat => (parameterFormats as readonly string[]).includes(name);

/** Why `value` does not match `format` ("…; expected …"), or undefined when it does. */
export function formatProblem(format: ParameterFormat, value: string): string | undefined {
  const rule = rules[format];
  const why = rule.problem(value);
  return why === undefined ? undefined : `${why}; expected ${rule.expected}`;
}
