// Documents are text: bytes become a string only when they are well-formed UTF-8, and a string
// becomes a document only when it holds no control character (YAML's printable set: TAB, LF,
// CR, and no C0/C1 control, DEL, U+FFFE or U+FFFF). Either problem is one located diagnostic at
// the first bad byte or character, never a silent replacement or removal.
import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Diagnostic } from './diagnostics.ts';
import { formatBytes } from './limits.ts';

/** Line and column (from 1, columns in UTF-16 units like every other diagnostic) of `offset` in `text`. */
export function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1, start = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) { line++; start = at + 1; }
  return { line, col: offset - start + 1 };
}

/** The text of `bytes`, or a diagnostic at the first byte that is not UTF-8. A BOM is kept, as `readFile(…, 'utf8')` keeps it. */
export function decodeText(file: string, bytes: Uint8Array): { text: string } | { problem: Diagnostic } {
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  const bad = firstInvalidUtf8(bytes);
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, bad).toString('utf8');
  const at = positionOf(before, before.length);
  const shown = Array.from(bytes.subarray(bad, Math.min(bad + 4, bytes.length)), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  return { problem: { file, ...at, code: 'E_ENCODING', message: `found bytes that are not UTF-8 (${shown}) at byte ${bad}; expected UTF-8 text` } };
}

/** Offset of the first byte that starts no well-formed UTF-8 sequence (bytes.length when all are well-formed). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) { i++; continue; }
    let need: number, min: number, max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1, min = 0x80;
    else if (b === 0xe0) need = 2, min = 0xa0;
    else if (b === 0xed) need = 2, min = 0x80, max = 0x9f; // no UTF-16 surrogates
    else if (b >= 0xe1 && b <= 0xef) need = 2, min = 0x80;
    else if (b === 0xf0) need = 3, min = 0x90;
    else if (b >= 0xf1 && b <= 0xf3) need = 3, min = 0x80;
    else if (b === 0xf4) need = 3, min = 0x80, max = 0x8f;
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}

// eslint-disable-next-line no-control-regex
const control = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x80-\x84\x86-\x9F\uFFFE\uFFFF]/;

const names: Record<number, string> = { 0: 'NUL', 0x1b: 'ESC', 0x7f: 'DEL', 0x0b: 'VT', 0x0c: 'FF', 0x08: 'BS' };

/** A diagnostic at the first control character of `text`, if there is one. */
export function controlCharacter(file: string, text: string): Diagnostic | undefined {
  const at = text.search(control);
  if (at < 0) return undefined;
  const code = text.charCodeAt(at);
  const name = `U+${code.toString(16).padStart(4, '0').toUpperCase()}${names[code] ? ` (${names[code]})` : ''}`;
  return { file, ...positionOf(text, at), code: 'E_CONTROL_CHARACTER', message: `found the control character ${name}; expected text (write it as an escape such as "\\0" inside a double-quoted string)` };
}

/** Reads a document file as text: refused unread when larger than `maxBytes`, refused when not UTF-8. */
export async function readDocumentFile(path: string, name: string, maxBytes: number): Promise<{ text: string } | { problem: Diagnostic }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const tooLarge = (bytes: string) => ({ problem: { file: name, line: 1, col: 1, code: 'E_TOO_LARGE', message: `the file is ${bytes} bytes; expected at most ${formatBytes(maxBytes)} (limits.documentBytes in pluginops.yml)` } } as const);
    if (size > maxBytes) return tooLarge(String(size));
    // Read to the end (a pipe has no size), but never more than one byte past the limit.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(size - length, 64 * 1024), maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) return tooLarge(`more than ${maxBytes}`);
    }
    return decodeText(name, Buffer.concat(chunks, length));
  } finally {
    await handle.close();
  }
}
