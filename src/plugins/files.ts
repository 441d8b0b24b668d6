// The source files of a plugin with given extensions: the security scan's walk (no version
// control, dependencies, caches or build output; links not followed), filtered by extension.
import { walkPlugin } from './scan/walk.ts';

export async function sourceFiles(root: string, extensions: readonly string[]): Promise<string[]> {
  return (await walkPlugin(root)).filter((f) => extensions.some((x) => f.rel.endsWith(x))).map((f) => f.path);
}
