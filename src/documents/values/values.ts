// Reading `{ env: NAME }` values from the environment, with a clear error when one is missing.
import type { ValueDoc } from '../schema/project.ts';
import { PluginopsError } from '../../errors/base.ts';

export class MissingValueError extends PluginopsError {
  readonly code = 'E_MISSING_ENV';
  readonly kind = 'failed';
}

export function readValue(v: ValueDoc, env: Readonly<Record<string, string | undefined>>, what: string): string {
  if (typeof v === 'string') return v;
  const found = env[v.env];
  if (found === undefined || found === '') throw new MissingValueError(`${what} comes from the environment variable ${v.env}, which is not set`);
  return found;
}

/** Every value that came from the environment: the secrets to mask in output. */
export const secretValues = (values: ValueDoc[], env: Readonly<Record<string, string | undefined>>): string[] =>
  values.flatMap((v) => (typeof v === 'string' ? [] : env[v.env] ? [env[v.env]!] : []));
