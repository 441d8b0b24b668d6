// Secrets never leave through the API: every answer (and every streamed event) has each string
// inside it masked like command-line output — the project's `secrets:`, every `{ env: NAME }`
// value of its file (tokens included), and their encoded forms become ***. The store already
// masks what runs write; this also covers values that changed since, and everything else.
import { masker, type Mask } from '../execution/mask.ts';
import type { Project } from '../project/load.ts';
import { projectSecrets } from '../project/secrets.ts';

export const projectMask = (project: Project, env: Readonly<Record<string, string | undefined>>): Mask =>
  masker(projectSecrets(project.config, env));

/** `value` with every string (not the keys) masked; numbers, booleans and null are kept. */
export function maskDeep(value: unknown, mask: Mask): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)]));
  }
  return value;
}
