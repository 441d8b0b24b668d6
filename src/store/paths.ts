// Ids that become file or directory names, and the one check that a path built from them stays
// inside its root. Every place that joins an id into a path goes through `insideRoot`; the edges
// (CLI arguments, API paths and bodies, step inputs) check the id against its pattern first with
// `checkPathId`, so a bad id is refused with a coded error before anything touches the disk.
import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PluginopsError } from '../errors/base.ts';

export type PathErrorCode =
  | 'E_BAD_ID' // an id that does not match its pattern (a separator, `..`, a leading dot …)
  | 'E_PATH_ESCAPE'; // a path that would resolve, or through a symlink leads, outside its root

export class PathError extends PluginopsError {
  override readonly name = 'PathError';
  /** The caller sent something wrong: an API answers 400, the CLI exits non-zero. */
  readonly kind = 'malformed';

  constructor(readonly code: PathErrorCode, message: string) {
    super(message);
  }
}

/** What each kind of id may look like; none can hold a separator or be `.` or `..`. */
export const idPatterns = {
  /** A plugin id, as in its manifest. */
  plugin: { re: /^[a-z0-9][a-z0-9_.-]{0,63}$/, says: '1 to 64 lower-case letters, digits, "_", "." or "-", starting with a letter or digit' },
  /** A release directory, `<version>-<time>` (a version may carry `+build`). */
  release: { re: /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/, says: '1 to 128 letters, digits, "_", ".", "+" or "-", starting with a letter or digit' },
  /** A workflow or action plan id (`metadata.id`). */
  document: { re: /^[A-Za-z][A-Za-z0-9_-]{0,63}$/, says: '1 to 64 letters, digits, "_" or "-", starting with a letter' },
  /** An execution (run) id. */
  execution: { re: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, says: '1 to 128 letters, digits, "_", "." or "-", starting with a letter or digit' },
} as const satisfies Record<string, { re: RegExp; says: string }>;

export type IdKind = keyof typeof idPatterns;

export function isPathId(kind: IdKind, id: unknown): id is string {
  return typeof id === 'string' && idPatterns[kind].re.test(id) && !id.includes('..');
}

/** `id` when it fits its pattern; otherwise PathError E_BAD_ID saying what was found and expected. */
export function checkPathId(kind: IdKind, id: unknown): string {
  if (isPathId(kind, id)) return id;
  throw new PathError('E_BAD_ID', `invalid ${kind} id ${JSON.stringify(id)}: expected ${idPatterns[kind].says}, without ".."`);
}

/**
 * `parts` resolved under `root`, refused (PathError E_PATH_ESCAPE) when the result is `root`
 * itself or anything outside it. Lexical: symlinks are checked by `realInsideRoot`.
 */
export function insideRoot(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const path = resolve(base, ...parts);
  const rel = relative(base, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new PathError('E_PATH_ESCAPE', `${JSON.stringify(parts.join('/'))} would resolve to ${path}, outside ${base}`);
  }
  return path;
}

/**
 * Checks that `path`, where it exists, really is inside `root` once symlinks are followed (both
 * resolved), and, with `noLink`, that `path` itself is not a symlink. A missing path passes:
 * what creates it next creates it inside, since its parent was checked.
 */
export async function realInsideRoot(root: string, path: string, opts: { noLink?: boolean } = {}): Promise<void> {
  const lexical = insideRoot(root, relative(resolve(root), resolve(path)));
  const st = await lstat(lexical).catch(() => undefined);
  if (!st) return;
  if (opts.noLink && st.isSymbolicLink()) throw new PathError('E_PATH_ESCAPE', `${lexical} is a symbolic link; expected a plain directory or file inside ${root}`);
  const [realRoot, real] = await Promise.all([realpath(root), realpath(lexical).catch(() => undefined)]);
  if (real === undefined) throw new PathError('E_PATH_ESCAPE', `${lexical} is a symbolic link that leads nowhere; expected a path inside ${root}`);
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new PathError('E_PATH_ESCAPE', `${lexical} leads to ${real}, outside ${realRoot}`);
}
