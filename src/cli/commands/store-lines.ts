// Reading a JSON-lines file of the embedded store a line at a time (readline), skipping what the
// store itself skips: blank lines, torn lines that are not JSON, lines of another shape.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { errorCode } from '../../store/errors.ts';

/** Each line of `path` that is JSON and passes `accept`, in order; none when the file does not exist. */
export async function* jsonLines<T>(path: string, accept: (v: unknown) => v is T): AsyncGenerator<{ value: T; bytes: number; line: number }> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const missing = await new Promise<boolean>((ok, fail) => {
    input.once('open', () => ok(false));
    input.once('error', (e) => (errorCode(e) === 'ENOENT' ? ok(true) : fail(e)));
  });
  if (missing) return;
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of rl) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try { value = JSON.parse(text); } catch { continue; }
      if (accept(value)) yield { value, bytes: text.length, line };
    }
  } finally {
    rl.close();
    input.destroy();
  }
}

