// `pluginops_output NAME VALUE`: the shell function a `run:` script calls to set an output. It
// writes `NAME<<DELIMITER`, the value and the delimiter, where the delimiter is random for each
// attempt of each step, so no value — a parameter, a file name, a command's output — can end it
// early and add an output of its own; a value that holds it is refused. It is defined on the
// script's first line (line numbers in the shell's messages stay the user's), and only when the
// script names it, so a simple command is still executed without a shell.
import type { Shell } from '../../engine/process/shell.ts';

const uses = /(^|[^A-Za-z0-9_])pluginops_output([^A-Za-z0-9_]|$)/;

/** The function's text; `delimiter` is letters, digits and `_` only, so it needs no quoting. */
export function outputHelper(delimiter: string, shell: Shell): string {
  return [
    'pluginops_output() {',
    `[ "$#" = 2 ] || { printf 'pluginops_output: expected NAME VALUE, found %s argument(s)\\n' "$#" >&2; return 2; };`,
    `case "$1" in ''|[!A-Za-z_]*|*[!A-Za-z0-9_-]*) printf 'pluginops_output: "%s" is not an output name; expected letters, digits, _ and -, starting with a letter or _\\n' "$1" >&2; return 2;; esac;`,
    `case "$2" in *${delimiter}*) printf 'pluginops_output: the value of %s holds the output delimiter; refused\\n' "$1" >&2; return 2;; esac;`,
    `printf '%s<<%s\\n%s\\n%s\\n' "$1" ${delimiter} "$2" ${delimiter} >> "$PLUGINOPS_OUTPUT";`,
    '};',
    shell === 'bash' ? 'export -f pluginops_output;' : '',
  ].join(' ');
}

/** `script` with the helper defined before its first command, on its first line. */
export const withOutputHelper = (script: string, delimiter: string, shell: Shell): string =>
  uses.test(script) ? `${outputHelper(delimiter, shell)} ${script}` : script;
