// verifyTree: an extracted release against its own PLUGINOPS-FILES.json. Reports every missing,
// changed and extra file; throws nothing.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { osReason } from './errors.ts';
import { parseFileList } from './file-list.ts';
import { hashTree } from './hash-files.ts';
import { Pacer } from './pacer.ts';
import { FILE_LIST_NAME, type FileEntry, type TreeCheck } from './types.ts';
import type { TreeEntry } from './walk.ts';

export async function verifyTree(dir: string): Promise<TreeCheck> {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE_LIST_NAME), 'utf8');
  } catch (err) {
    return { ok: false, problems: [`cannot read ${FILE_LIST_NAME}: ${osReason(err)}`] };
  }
  const parsed = parseFileList(text);
  if ('problem' in parsed) return { ok: false, problems: [`${FILE_LIST_NAME}: ${parsed.problem}`] };

  const problems: string[] = [];
  const found = new Map<string, TreeEntry>();
  const others: string[] = [];
  try {
    listTree(dir, '', found, others);
  } catch (err) {
    return { ok: false, problems: [`cannot list ${dir}: ${osReason(err)}`] };
  }
  found.delete(FILE_LIST_NAME);
  for (const path of others) problems.push(`extra: ${path} (not a file, directory or symlink)`);

  const expected = new Map(parsed.list.files.map((f) => [f.path, f]));
  const present: TreeEntry[] = [];
  for (const f of parsed.list.files) {
    const e = found.get(f.path);
    if (!e) problems.push(`missing: ${f.path}`);
    else present.push(e);
  }
  for (const path of found.keys()) if (!expected.has(path)) problems.push(`extra: ${path}`);

  let actual: FileEntry[] = [];
  try {
    actual = await hashTree(present, new Pacer(undefined));
  } catch (err) {
    problems.push(`cannot read: ${osReason(err)}`);
  }
  for (const a of actual) {
    const problem = difference(a, expected.get(a.path)!);
    if (problem) problems.push(`changed: ${a.path}: ${problem}`);
  }
  return { ok: problems.length === 0, problems };
}

function difference(actual: FileEntry, expected: FileEntry): string | undefined {
  if (actual.type !== expected.type) return `is a ${actual.type}, expected a ${expected.type}`;
  if (actual.type === 'symlink') return actual.target === expected.target ? undefined : `points to ${JSON.stringify(actual.target)}, expected ${JSON.stringify(expected.target)}`;
  if (actual.size !== expected.size) return `${actual.size} bytes, expected ${expected.size}`;
  if (actual.sha256 !== expected.sha256) return `SHA-256 ${actual.sha256}, expected ${expected.sha256}`;
  if (actual.mode !== expected.mode) return `mode 0o${actual.mode.toString(8)}, expected 0o${expected.mode.toString(8)}`;
  return undefined;
}

/** Every file and symlink below `dir` (nothing excluded, symlinks not followed). */
function listTree(root: string, dir: string, found: Map<string, TreeEntry>, others: string[]): void {
  for (const d of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir ? `${dir}/${d.name}` : d.name;
    const abs = join(root, path);
    if (d.isDirectory()) listTree(root, path, found, others);
    else if (d.isFile()) found.set(path, { type: 'file', path, abs });
    else if (d.isSymbolicLink()) found.set(path, { type: 'symlink', path, abs, target: readlinkSync(abs) });
    else others.push(path);
  }
}
