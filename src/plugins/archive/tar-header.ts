// Reproducible tar headers: ustar with uid/gid 0, empty owner names and mtime 0; a pax extended
// header (fixed name, no pid or time in it) only for names or link targets that do not fit ustar
// (longer, or not ASCII) and for files of 8 GiB or more. Nothing in a header depends on the host.

export interface HeaderFields {
  path: string;
  type: 'file' | 'symlink';
  size: number;
  mode: number;
  target?: string;
}

const BLOCK = 512;
const MAX_OCTAL_SIZE = 8 ** 11 - 1;
const PAX_NAME = 'PaxHeader';

/** The header block(s) for one entry: 512 bytes, or 1,536+ with a pax extended header first. */
export function entryHeader(h: HeaderFields): Buffer {
  const split = ustarName(h.path);
  const target = h.type === 'symlink' ? h.target ?? '' : '';
  const targetFits = isAscii(target) && target.length <= 100;
  const sizeFits = h.size <= MAX_OCTAL_SIZE;
  if (split && targetFits && sizeFits) {
    return ustarBlock({ name: split.name, prefix: split.prefix, mode: h.mode, size: h.size, typeflag: h.type === 'file' ? '0' : '2', linkname: target });
  }
  const records = [
    ...(split ? [] : [paxRecord('path', h.path)]),
    ...(targetFits ? [] : [paxRecord('linkpath', target)]),
    ...(sizeFits ? [] : [paxRecord('size', String(h.size))]),
  ];
  const body = Buffer.concat(records);
  const fallback = asciiFallback(h.path);
  return Buffer.concat([
    ustarBlock({ name: PAX_NAME, prefix: '', mode: 0o644, size: body.length, typeflag: 'x', linkname: '' }),
    body,
    Buffer.alloc(padding(body.length)),
    ustarBlock({
      name: split?.name ?? fallback, prefix: split?.prefix ?? '', mode: h.mode, size: sizeFits ? h.size : 0,
      typeflag: h.type === 'file' ? '0' : '2', linkname: targetFits ? target : asciiFallback(target),
    }),
  ]);
}

/** Zero bytes that follow `size` bytes of content to fill the last block. */
export function padding(size: number): number {
  const r = size % BLOCK;
  return r === 0 ? 0 : BLOCK - r;
}

/** Two zero blocks end the archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

function ustarName(path: string): { name: string; prefix: string } | undefined {
  if (!isAscii(path)) return undefined;
  if (path.length <= 100) return { name: path, prefix: '' };
  for (let i = path.indexOf('/'); i !== -1 && i <= 155; i = path.indexOf('/', i + 1)) {
    const name = path.slice(i + 1);
    if (name.length > 0 && name.length <= 100) return { name, prefix: path.slice(0, i) };
  }
  return undefined;
}

interface Block {
  name: string;
  prefix: string;
  mode: number;
  size: number;
  typeflag: '0' | '2' | 'x';
  linkname: string;
}

function ustarBlock(b: Block): Buffer {
  const buf = Buffer.alloc(BLOCK);
  buf.write(b.name, 0, 100, 'latin1');
  octal(buf, 100, 8, b.mode & 0o7777);
  octal(buf, 108, 8, 0); // uid
  octal(buf, 116, 8, 0); // gid
  octal(buf, 124, 12, b.size);
  octal(buf, 136, 12, 0); // mtime
  buf.write(b.typeflag, 156, 1, 'latin1');
  buf.write(b.linkname, 157, 100, 'latin1');
  buf.write('ustar\x0000', 257, 8, 'latin1');
  // uname and gname (265, 297) stay empty
  octal(buf, 329, 8, 0); // devmajor
  octal(buf, 337, 8, 0); // devminor
  buf.write(b.prefix, 345, 155, 'latin1');
  buf.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[i]!;
  buf.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return buf;
}

/** `width - 1` octal digits and a NUL. */
function octal(buf: Buffer, offset: number, width: number, value: number): void {
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'latin1');
}

/** `<length> <key>=<value>\n`, where length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): Buffer {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let digits = String(rest).length;
  while (String(rest + digits).length !== digits) digits = String(rest + digits).length;
  return Buffer.from(`${rest + digits} ${key}=${value}\n`);
}

function isAscii(s: string): boolean {
  return /^[\x01-\x7f]*$/.test(s);
}

/** What a reader without pax support sees: the last 100 ASCII-safe characters. */
function asciiFallback(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(-100);
}
