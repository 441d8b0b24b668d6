// An append-only file: opened once, written in whole lines, fsynced on request. If the file ends
// in a torn line (no final newline), the next write starts with a newline so that a new record is
// never glued to the torn one.
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `new` fails when the file exists, `existing` when it does not; `any` creates it if needed. */
export type OpenMode = 'new' | 'existing' | 'any';

const { O_RDWR, O_APPEND, O_CREAT, O_EXCL } = constants;
const flags = {
  new: O_RDWR | O_APPEND | O_CREAT | O_EXCL,
  existing: O_RDWR | O_APPEND,
  any: O_RDWR | O_APPEND | O_CREAT,
} satisfies Record<OpenMode, number>;

export class AppendLog {
  readonly path: string;
  private readonly handle: FileHandle;
  private needsNewline: boolean;

  private constructor(path: string, handle: FileHandle, needsNewline: boolean) {
    this.path = path;
    this.handle = handle;
    this.needsNewline = needsNewline;
  }

  static async open(path: string, mode: OpenMode): Promise<AppendLog> {
    const handle = await open(path, flags[mode], 0o644);
    try {
      const { size } = await handle.stat();
      let needsNewline = false;
      if (size > 0) {
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
        needsNewline = bytesRead === 1 && buffer[0] !== 0x0a;
      }
      return new AppendLog(path, handle, needsNewline);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Appends `lines` (each ending in "\n") in one write where the OS allows. */
  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    const data = Buffer.from((this.needsNewline ? '\n' : '') + lines.join(''));
    this.needsNewline = true; // until the whole buffer is written, the tail may be torn
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle.write(data, offset, data.length - offset, null);
      offset += bytesWritten;
    }
    this.needsNewline = false;
  }

  sync(): Promise<void> {
    return this.handle.datasync();
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Makes a file creation, rename or removal in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Atomically replaces `path` with `content`: temp file in the same dir, fsync, rename, fsync dir.
 * The temp name is unique per call, so concurrent replacements of one file cannot share it.
 */
export async function replaceFile(path: string, content: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dirname(path));
}
