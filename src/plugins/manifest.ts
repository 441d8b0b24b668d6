// Finding and reading a plugin's manifest, with every problem located at file:line:col.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../documents/display.ts';
import type { Diagnostic } from '../documents/diagnostics.ts';
import { checkSchema } from '../documents/schema-check.ts';
import { defaultLimits } from '../documents/limits.ts';
import { parseYaml, type SourceDocument } from '../documents/source.ts';
import { readDocumentFile } from '../documents/text.ts';
import { PluginManifest, type PluginManifestDoc } from '../documents/schema/plugin.ts';

export const manifestLocations = ['config/plugin.json', 'plugin.json', 'plugin.yaml', 'plugin.yml'] as const;

export interface LoadedManifest {
  root: string;
  file: string;
  manifest?: PluginManifestDoc;
  src?: SourceDocument;
  diagnostics: Diagnostic[];
}

export function findManifest(root: string): string | undefined {
  return manifestLocations.map((p) => join(root, p)).find((p) => existsSync(p));
}

/** The id in the plugin's manifest when it has a valid one; undefined otherwise (nothing is thrown). */
export async function manifestId(root: string, cwd = process.cwd()): Promise<string | undefined> {
  return (await loadManifest(root, cwd).catch(() => undefined))?.manifest?.id;
}

/** Reads the manifest; `file` in diagnostics is relative to `cwd`. JSON is read as YAML to keep positions. */
export async function loadManifest(root: string, cwd = process.cwd()): Promise<LoadedManifest> {
  const path = findManifest(root);
  const name = (p: string) => displayPath(cwd, p);
  if (!path) {
    return { root, file: name(join(root, manifestLocations[0])), diagnostics: [{
      file: name(root), line: 1, col: 1, code: 'E_FILE_NOT_FOUND',
      message: `no plugin manifest; expected one of: ${manifestLocations.join(', ')}`,
    }] };
  }
  const file = name(path);
  // Read like a document: bounded in size (a link to /dev/zero is refused, not read), UTF-8 checked.
  const read = await readDocumentFile(path, file, defaultLimits.maxBytes);
  if ('problem' in read) return { root, file, diagnostics: [read.problem] };
  return { root, file, ...parseManifest(file, read.text) };
}

/** Parses and checks a manifest's text, wherever it came from (a file, a git object). */
export function parseManifest(file: string, text: string): { manifest?: PluginManifestDoc; src?: SourceDocument; diagnostics: Diagnostic[] } {
  const parsed = parseYaml(file, text);
  const src = parsed.documents[0];
  const diagnostics = [...parsed.diagnostics];
  if (!src && diagnostics.length === 0) diagnostics.push({ file, line: 1, col: 1, code: 'E_REQUIRED', message: 'the manifest is empty; expected id, name, version, runtime and entry' });
  if (src) diagnostics.push(...checkSchema(src, src.value, PluginManifest, [], 'manifest'));
  return { src, diagnostics, manifest: src && diagnostics.length === 0 ? (src.value as PluginManifestDoc) : undefined };
}
