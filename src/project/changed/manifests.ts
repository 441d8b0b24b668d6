// Reading plugin manifests as they are at a commit (not in the working tree): one
// `git cat-file --batch` for all of them, each checked by the same parseManifest as a file on disk.
import { InvalidDocumentsError, type Diagnostic } from '../../documents/diagnostics.ts';
import type { PluginManifestDoc } from '../../documents/schema/plugin.ts';
import { parseManifest } from '../../plugins/manifest.ts';
import type { TreeFile } from './select.ts';

/** Splits `git cat-file --batch` output into object id → text. */
export function parseBatch(out: Buffer): Map<string, string> {
  const texts = new Map<string, string>();
  for (let at = 0; at < out.length;) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [object = '', type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) { at = eol + 1; continue; }
    const end = eol + 1 + Number(size);
    texts.set(object, out.subarray(eol + 1, end).toString('utf8'));
    at = end + 1;
  }
  return texts;
}

/** Parses and checks each manifest; any problem throws with every diagnostic, located in its file. */
export function checkManifests(files: TreeFile[], texts: ReadonlyMap<string, string>): Map<string, PluginManifestDoc> {
  const manifests = new Map<string, PluginManifestDoc>();
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const text = texts.get(file.object);
    if (text === undefined) { diagnostics.push({ file: file.path, line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: `git could not read object ${file.object}` }); continue; }
    const { manifest, diagnostics: found } = parseManifest(file.path, text);
    if (manifest) manifests.set(file.path, manifest);
    diagnostics.push(...found);
  }
  if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
  return manifests;
}
