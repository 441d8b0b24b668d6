// Reading an archive a line at a time (readline: the file is never held whole), with one item of
// lookahead, so the importer can tell where an execution's log chunks end. The reader keeps the
// counts of what it read and holds the end line to them; reading past the last line without
// having met the end line is E_ARCHIVE_TRUNCATED.
import { createReadStream } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { errorCode } from '../../store/errors.ts';
import { countsDiffer, noCounts, parseArchiveLine, parseHeader, type ArchiveCounts, type ArchiveHeader, type ArchiveItem } from './store-archive.ts';
import { ArchiveError } from './store-errors.ts';

export interface Entry { line: number; item: ArchiveItem }

export class ArchiveReader {
  readonly file: string;
  readonly header: ArchiveHeader;
  /** What was read so far, by kind. */
  readonly counts: ArchiveCounts = noCounts();
  readonly #rl: Interface;
  readonly #lines: AsyncIterator<string>;
  #line: number;
  #peeked: Entry | undefined;
  #ended = false;

  private constructor(file: string, rl: Interface, lines: AsyncIterator<string>, header: ArchiveHeader, line: number) {
    this.file = file;
    this.#rl = rl;
    this.#lines = lines;
    this.header = header;
    this.#line = line;
  }

  /** Opens `path` (shown as `file` in messages) and reads its header. */
  static async open(path: string, file: string): Promise<ArchiveReader> {
    const input = createReadStream(path, { encoding: 'utf8' });
    const opened = new Promise<void>((ok, fail) => { input.once('open', () => ok()); input.once('error', fail); });
    try {
      await opened;
    } catch (err) {
      const code = errorCode(err);
      throw new ArchiveError('E_ARCHIVE_FORMAT', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`, { file });
    }
    const rl = createInterface({ input, crlfDelay: Infinity });
    const lines = rl[Symbol.asyncIterator]();
    let line = 0;
    let first: IteratorResult<string>;
    do { first = await lines.next(); line++; } while (!first.done && first.value.trim() === '');
    if (first.done) {
      rl.close();
      throw new ArchiveError('E_ARCHIVE_FORMAT', `${file} is empty: not a pluginops store archive`, { file });
    }
    try {
      return new ArchiveReader(file, rl, lines, parseHeader(first.value, file), line);
    } catch (err) {
      rl.close();
      throw err;
    }
  }

  /** The next item without taking it. */
  async peek(): Promise<Entry> {
    this.#peeked ??= await this.#read();
    return this.#peeked;
  }

  /** The next item: the end line last; E_ARCHIVE_TRUNCATED when the file stops before it. */
  async next(): Promise<Entry> {
    const entry = await this.peek();
    this.#peeked = undefined;
    return entry;
  }

  close(): void {
    this.#rl.close();
  }

  async #read(): Promise<Entry> {
    for (;;) {
      const r = await this.#lines.next();
      if (r.done) {
        throw new ArchiveError('E_ARCHIVE_TRUNCATED', `${this.file} stops after line ${this.#line} without its end line: the archive is incomplete (cut short?)`, { file: this.file, line: this.#line });
      }
      this.#line++;
      if (r.value.trim() === '') continue;
      if (this.#ended) throw new ArchiveError('E_ARCHIVE_LINE', `${this.file} line ${this.#line}: a line after the end line`, { file: this.file, line: this.#line });
      const item = parseArchiveLine(r.value, this.file, this.#line);
      this.#tally(item);
      return { line: this.#line, item };
    }
  }

  #tally(item: ArchiveItem): void {
    switch (item.kind) {
      case 'execution': this.counts.executions++; return;
      case 'log': this.counts.logs += item.records.length; return;
      case 'state': this.counts.states++; return;
      case 'task': this.counts.tasks++; return;
      case 'worker': this.counts.workers++; return;
      case 'end': {
        this.#ended = true;
        const off = countsDiffer(item.counts, this.counts);
        if (off) throw new ArchiveError('E_ARCHIVE_COUNTS', `${this.file} line ${this.#line}: the end line's counts differ from the items read (${off}): lines are missing`, { file: this.file, line: this.#line });
      }
    }
  }

  /** After the end line: whether anything but blank lines follows it (an archive glued to another). */
  async assertNothingAfterEnd(): Promise<void> {
    for (;;) {
      const r = await this.#lines.next();
      if (r.done) return;
      this.#line++;
      if (r.value.trim() !== '') throw new ArchiveError('E_ARCHIVE_LINE', `${this.file} line ${this.#line}: a line after the end line`, { file: this.file, line: this.#line });
    }
  }
}
