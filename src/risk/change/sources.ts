// The changed source files as they are at head, with the lines the change touched: sizes from
// `git cat-file --batch-check`, ranges from one `git diff -U0`, texts from one
// `git cat-file --batch`, each for at most `maxFiles` files and `maxTotalBytes` in all.
import { parseBatch } from '../../project/changed/manifests.ts';
import { changedRanges } from './diff.ts';
import { maxFileBytes, maxTotalBytes } from './limits.ts';
import { tooLarge, type SourceFile, type Unmeasured } from './measure.ts';
import type { ChangeRange, Git } from './refs.ts';

/** `paths` are repository-relative, without line breaks. */
export async function readSources(git: Git, at: ChangeRange, paths: readonly string[]): Promise<{ sources: SourceFile[]; unmeasured: Unmeasured[] }> {
  const unmeasured: Unmeasured[] = [];
  if (paths.length === 0) return { sources: [], unmeasured };
  const sizes = parseBatchCheck(await git(['cat-file', '--batch-check'], { cwd: at.top, input: paths.map((p) => `${at.head}:${p}\n`).join('') }));
  const wanted: Array<{ path: string; object: string }> = [];
  let total = 0;
  paths.forEach((path, i) => {
    const blob = sizes[i];
    if (!blob) return; // deleted at head
    if (blob.size > maxFileBytes) unmeasured.push({ file: path, reason: tooLarge(blob.size) });
    else if (total + blob.size > maxTotalBytes) unmeasured.push({ file: path, reason: `not measured: the changed source files exceed ${maxTotalBytes} bytes in all` });
    else { total += blob.size; wanted.push({ path, object: blob.object }); }
  });
  if (wanted.length === 0) return { sources: [], unmeasured };

  const patch = await git(['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames',
    '--src-prefix=a/', '--dst-prefix=b/', at.mergeBase, at.head, '--', ...wanted.map((w) => `:(literal)${w.path}`)], { cwd: at.top });
  const ranges = changedRanges(patch);
  const touched = wanted.filter((w) => (ranges.get(w.path) ?? []).length > 0);
  if (touched.length === 0) return { sources: [], unmeasured };
  const texts = parseBatch(await git(['cat-file', '--batch'], { cwd: at.top, input: [...new Set(touched.map((w) => w.object))].map((o) => `${o}\n`).join('') }));
  const sources = touched.flatMap((w) => {
    const text = texts.get(w.object);
    return text === undefined ? [] : [{ file: w.path, text, changed: ranges.get(w.path) ?? [] }];
  });
  return { sources, unmeasured };
}

/** `git cat-file --batch-check` lines, in the order asked: `<object> blob <size>`, or `<name> missing`. */
export function parseBatchCheck(out: Buffer): Array<{ object: string; size: number } | undefined> {
  return out.toString('utf8').split('\n').slice(0, -1).map((line) => {
    const [object = '', type, size] = line.split(' ');
    return type === 'blob' && size !== undefined ? { object, size: Number(size) } : undefined;
  });
}
