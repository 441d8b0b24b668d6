// Paths as GitHub places annotations: relative to the repository checkout (GITHUB_WORKSPACE),
// with `/` separators and no `./` — the form the SARIF report uses, whatever form the `plugin`
// input or a step gave them in.
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface Places {
  /** The checkout GitHub resolves annotation paths against. */
  workspace: string;
  /** Relative paths in problems of the run's steps start here (the project's root). */
  runRoot: string;
  /** Relative paths in security findings start here (the plugin directory), when there is one. */
  plugin?: string;
}

/** GITHUB_WORKSPACE when the runner sets it, else the working directory. */
export const checkoutOf = (env: Record<string, string | undefined>, cwd: string): string => resolve(cwd, env.GITHUB_WORKSPACE || cwd);

/** `path` (absolute, or relative to `from`) relative to the checkout; undefined when it lies outside it. */
export function inCheckout(workspace: string, from: string, path: string): string | undefined {
  const rel = relative(workspace, resolve(from, path));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
