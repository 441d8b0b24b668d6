// A script that is one simple command — words without any shell syntax, naming a program on
// PATH rather than a shell builtin — is executed directly, as make does, saving a shell start.

const plainWord = /^[A-Za-z0-9_./:@%+,=-]+$/;

/** Builtins and keywords: these need a shell even when a program of the same name exists. */
const shellOnly = new Set([
  'alias', 'bg', 'bind', 'break', 'builtin', 'caller', 'case', 'cd', 'command', 'compgen', 'complete', 'continue',
  'declare', 'dirs', 'disown', 'do', 'done', 'elif', 'else', 'enable', 'esac', 'eval', 'exec', 'exit', 'export', 'fc',
  'fg', 'fi', 'for', 'function', 'getopts', 'hash', 'help', 'history', 'if', 'in', 'jobs', 'let', 'local', 'logout',
  'mapfile', 'popd', 'pushd', 'read', 'readarray', 'readonly', 'return', 'select', 'set', 'shift', 'shopt', 'source',
  'suspend', 'then', 'time', 'times', 'trap', 'type', 'typeset', 'ulimit', 'umask', 'unalias', 'unset', 'until',
  'wait', 'while',
]);

/** The words of `script` when it can be executed without a shell, else undefined. */
export function simpleCommand(script: string): string[] | undefined {
  const words = script.trim().split(/[ \t]+/);
  if (words.length === 0 || words[0] === '' || script.includes('\n') && script.trim().includes('\n')) return undefined;
  if (!words.every((w) => plainWord.test(w))) return undefined;
  if (shellOnly.has(words[0]!) || words[0]!.includes('=')) return undefined;
  return words;
}
