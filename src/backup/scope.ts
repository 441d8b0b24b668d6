// What a backup of a project covers, and where backups go. The roots: the store, the project file,
// each document path, and each directory deploy target (releases), plus the default local target
// when it is not inside the store. A root inside another is covered by it and left out. The
// backups folder must lie outside every root, or each backup would hold the ones before it.
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ProjectDoc } from '../documents/schema/index.ts';
import { BackupError } from './errors.ts';
import type { RootKind } from './manifest.ts';

export interface ScopeRoot { name: string; kind: RootKind; path: string }

export interface BackupScope {
  /** Where backups are kept. */
  dir: string;
  /** What they hold, without overlaps, in a stable order. */
  roots: ScopeRoot[];
  storeDir: string;
}

/** The parts of a loaded project a backup reads. */
export interface ScopeProject {
  root: string;
  file?: string;
  config: ProjectDoc;
  storeDir: string;
  documentPaths: readonly string[];
}

export const defaultBackupsName = '.pluginops-backups';

/** `backup.dir` of the project file (relative to it), else `.pluginops-backups` beside the store. */
export function backupsDirOf(project: ScopeProject): string {
  const given = project.config.backup?.dir;
  return given ? resolve(project.root, given) : join(dirname(project.storeDir), defaultBackupsName);
}

export const isInside = (outer: string, inner: string): boolean => {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
};

/**
 * The roots of `project` and the backups folder. Throws BackupError E_BACKUP_CONFIG when the
 * backups folder lies inside a root or contains one.
 */
export function backupScope(project: ScopeProject): BackupScope {
  const dir = backupsDirOf(project);
  const candidates: ScopeRoot[] = [{ name: 'store', kind: 'store', path: resolve(project.storeDir) }];
  if (project.file) candidates.push({ name: 'project', kind: 'project', path: resolve(project.file) });
  for (const p of project.documentPaths) candidates.push({ name: `documents:${relative(project.root, p) || '.'}`, kind: 'documents', path: resolve(p) });
  const targets = project.config.targets ?? {};
  for (const [name, t] of Object.entries(targets).sort(([a], [b]) => a.localeCompare(b))) {
    if (t.type === 'directory') candidates.push({ name: `releases:${name}`, kind: 'releases', path: resolve(project.root, t.path) });
  }
  const local = join(project.root, '.pluginops', 'deployments');
  if (!('local' in targets) && existsSync(local)) candidates.push({ name: 'releases:local', kind: 'releases', path: local });
  const roots: ScopeRoot[] = [];
  for (const r of candidates) {
    if (isInside(r.path, dir) || isInside(dir, r.path)) {
      throw new BackupError('E_BACKUP_CONFIG', `the backups folder ${dir} lies ${isInside(r.path, dir) ? 'inside' : 'around'} ${r.name} (${r.path}), which it backs up; set backup.dir in the project file to a folder outside it`);
    }
    if (roots.some((o) => o.path === r.path)) continue;
    if (candidates.some((o) => o !== r && o.path !== r.path && isInside(o.path, r.path))) continue; // covered by o
    roots.push(r);
  }
  return { dir, roots, storeDir: resolve(project.storeDir) };
}

/** A readable label for a root's folder inside a backup: `r0-store`, `r2-pluginops.yml`. */
export const dataName = (i: number, r: ScopeRoot): string =>
  `r${i}-${basename(r.path).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'root'}`;
