// Paths as git prints them when they hold unusual bytes: in double quotes, with C escapes and
// octal bytes (`"dir/t\303\251st.py"`), read back to text.
const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** The value of the C-style quoted string at the start of `text`, as git writes unusual paths. */
export function unquote(text: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const c = String.fromCodePoint(text.codePointAt(i)!);
    if (c === '"') return Buffer.from(bytes).toString('utf8');
    if (c !== '\\') { bytes.push(...Buffer.from(c, 'utf8')); i += c.length - 1; continue; }
    const next = text[++i] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i, i + 3));
    if (octal) { bytes.push(parseInt(octal[0], 8)); i += 2; continue; }
    const byte = escapes[next];
    if (byte === undefined) return undefined;
    bytes.push(byte);
  }
  return undefined;
}
