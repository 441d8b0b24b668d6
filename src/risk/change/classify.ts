// What a changed file is to a plugin, from its path inside the plugin directory: its manifest,
// a dependency file, a test, documentation, or code. Pure; paths are POSIX and relative.
import { manifestLocations } from '../../plugins/manifest.ts';

export type FileKind = 'manifest' | 'dependency' | 'test' | 'documentation' | 'code';

const dependencyNames = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml',
  'pyproject.toml', 'poetry.lock', 'Pipfile', 'Pipfile.lock', 'setup.py', 'setup.cfg',
  'go.mod', 'go.sum', 'Cargo.toml', 'Cargo.lock', 'Gemfile', 'Gemfile.lock',
]);
const dependencyPatterns = [/^requirements.*\.txt$/, /^constraints.*\.txt$/];
const testDirs = new Set(['tests', 'test', '__tests__', 'spec']);
const testPatterns = [/^test_.*\.py$/, /_test\.py$/, /^conftest\.py$/, /\.test\.[^.]+$/, /\.spec\.[^.]+$/];
const documentation = /\.(md|txt)$/i;

/** `path` is relative to the plugin directory. */
export function classify(path: string): FileKind {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  const dirs = parts.slice(0, -1);
  if (manifestLocations.some((loc) => loc === path)) return 'manifest';
  if (dependencyNames.has(name) || dependencyPatterns.some((p) => p.test(name))) return 'dependency';
  // requirements/base.txt, requirements/dev.txt
  if (name.endsWith('.txt') && dirs[dirs.length - 1] === 'requirements') return 'dependency';
  if (documentation.test(name)) return 'documentation';
  if (dirs.some((d) => testDirs.has(d)) || testPatterns.some((p) => p.test(name))) return 'test';
  if (dirs.includes('docs')) return 'documentation';
  return 'code';
}

export type Language = 'python' | 'javascript';

/** The language whose functions are measured, from the file's extension. */
export function languageOf(path: string): Language | undefined {
  if (/\.py$/.test(path)) return 'python';
  if (/\.(js|mjs|cjs)$/.test(path)) return 'javascript';
  return undefined;
}
