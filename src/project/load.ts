// The project file `pluginops.yml`: found in the working directory (or named with --config),
// validated like every document, with defaults for everything it leaves out.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { displayPath } from '../documents/display.ts';
import { InvalidDocumentsError, type Diagnostic } from '../documents/diagnostics.ts';
import { checkSchema } from '../documents/schema-check.ts';
import { Project as ProjectSchema, type ProjectDoc } from '../documents/schema/index.ts';
import { withDefaults, type ParseLimits } from '../documents/limits.ts';
import { parseYaml } from '../documents/source.ts';
import { recipientRules } from '../documents/rules/recipients.ts';
import { readDocumentFile } from '../documents/text.ts';
import { parseDuration } from '../engine/duration.ts';

export interface Project {
  root: string;
  /** The project file, when there is one. */
  file?: string;
  config: ProjectDoc;
  documentPaths: string[];
  storeDir: string;
  maxParallel?: number;
  killGraceMs: number;
  /** What one document file may cost to parse (`limits:` of pluginops.yml). */
  documentLimits: ParseLimits;
}

export const projectFileName = 'pluginops.yml';

export async function loadProject(cwd: string, configPath?: string): Promise<Project> {
  const file = configPath ? resolve(cwd, configPath) : resolve(cwd, projectFileName);
  if (!existsSync(file)) {
    if (configPath) throw new InvalidDocumentsError([{ file: configPath, line: 1, col: 1, code: 'E_FILE_NOT_FOUND', message: 'no such project file; expected a pluginops.yml' }]);
    return projectFromConfig(cwd, undefined, { apiVersion: 'pluginops/v1', kind: 'Project' });
  }
  const name = displayPath(cwd, file);
  const read = await readDocumentFile(file, name, withDefaults().maxBytes);
  const parsed = 'problem' in read ? { documents: [], diagnostics: [read.problem] } : parseYaml(name, read.text);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const src = parsed.documents[0];
  if (src) diagnostics.push(...checkSchema(src, src.value, ProjectSchema, [], 'project'));
  // What a schema cannot say: names that refer to other entries of the file.
  if (src && diagnostics.length === 0) diagnostics.push(...recipientRules(src, src.value as ProjectDoc));
  if (diagnostics.length) throw new InvalidDocumentsError(diagnostics);
  return projectFromConfig(dirname(file), file, (src?.value ?? { apiVersion: 'pluginops/v1', kind: 'Project' }) as ProjectDoc);
}

/** The project a configuration describes, with its defaults, as if read from `file` in `root`. */
export function projectFromConfig(root: string, file: string | undefined, config: ProjectDoc): Project {
  const docs = config.documents ?? ['pipelines'];
  return {
    root, file, config,
    documentPaths: docs.map((d) => resolve(root, d)).filter((p) => config.documents !== undefined || existsSync(p)),
    storeDir: resolve(root, config.store?.path ?? '.pluginops'),
    maxParallel: config.defaults?.maxParallel,
    killGraceMs: config.defaults?.killGracePeriod ? parseDuration(config.defaults.killGracePeriod) : 10_000,
    documentLimits: withDefaults({ maxBytes: config.limits?.documentBytes, maxDepth: config.limits?.documentDepth, maxNodes: config.limits?.documentNodes }),
  };
}
