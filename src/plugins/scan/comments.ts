// Where a line comment starts, cheaply: the first comment marker outside a string literal on the
// same line. Multi-line strings and block comments spanning lines are not tracked, except that a
// line starting with `*` inside a JS block comment counts as comment.
export type FileLanguage = 'python' | 'javascript' | 'typescript' | 'other';

const extensions: Record<string, FileLanguage> = {
  '.py': 'python', '.pyw': 'python',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascript',
  '.ts': 'typescript', '.tsx': 'typescript', '.mts': 'typescript', '.cts': 'typescript',
};

export function languageOf(file: string): FileLanguage {
  const dot = file.lastIndexOf('.');
  return (dot > file.lastIndexOf('/') ? extensions[file.slice(dot).toLowerCase()] : undefined) ?? 'other';
}

interface Syntax { quotes: string; hash: boolean; slashes: boolean }

const syntax: Record<FileLanguage, Syntax> = {
  python: { quotes: `'"`, hash: true, slashes: false },
  javascript: { quotes: `'"\``, hash: false, slashes: true },
  typescript: { quotes: `'"\``, hash: false, slashes: true },
  other: { quotes: `'"`, hash: true, slashes: true },
};

/** The index where a comment starts on `line`, or -1 when the line has none. */
export function commentStart(line: string, language: FileLanguage): number {
  const s = syntax[language];
  if (s.slashes && /^\s*\*/.test(line)) return line.search(/\*/);
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (s.quotes.includes(c)) quote = c;
    else if (s.hash && c === '#') return i;
    else if (s.slashes && c === '/' && (line[i + 1] === '/' || line[i + 1] === '*')) return i;
  }
  return -1;
}
