// Hostile or heavy archives built in the test with tar-stream, shared by the archive and
// delivery tests: a nesting bomb of directory entries, and many small files.
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { fileListBody, tarBytes, type RawEntry } from './helpers.ts';

/** `count` directory entries, each one level below the one before (`a/`, `a/a/`, …), after an empty file list. */
export async function deepDirectoryBomb(count: number): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => { chunks.push(Buffer.from(c as Uint8Array)); });
  const done = new Promise<void>((resolve, reject) => { p.on('end', () => resolve()); p.on('error', reject); });
  p.entry({ name: 'PLUGINOPS-FILES.json', mtime: new Date(0) }, fileListBody({}));
  let name = '';
  for (let i = 0; i < count; i++) {
    name += 'a/';
    // `pax: {}` sends the long name as a pax record directly; tar-stream's ustar prefix split
    // of a long name is quadratic in its length and would make building this take seconds.
    p.entry({ name, type: 'directory', mtime: new Date(0), pax: {} });
  }
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A valid archive of `count` one-line files `f-0000` … in its root. */
export async function manySmallFiles(count: number): Promise<Buffer> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`f-${String(i).padStart(4, '0')}`] = `${i}\n`;
  const entries: RawEntry[] = [{ header: { name: 'PLUGINOPS-FILES.json' }, body: fileListBody(files) }, ...Object.entries(files).map(([name, body]) => ({ header: { name }, body }))];
  return gzipSync(await tarBytes(entries));
}
