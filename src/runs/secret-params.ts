// Parameters that hold a project secret are stored masked, like every output. So that a run taken
// up again (after an approval, a retry) still gets the real value, the record keeps each such
// parameter as a template naming the environment variables the secrets came from — never the
// secret itself — and the process that resumes the run fills it from its own environment.
import { MissingValueError } from '../documents/values/values.ts';
import type { ExecutionRecord } from '../store/types.ts';
import type { Mask } from '../engine/mask.ts';

type Sealed = NonNullable<ExecutionRecord['secretParameters']>;
type Part = Sealed[string]['parts'][number];

function partsOf(value: string, secrets: ReadonlyArray<{ name: string; value: string }>): Part[] {
  let parts: Part[] = [value];
  // Longest first, so a secret that contains another is taken whole.
  for (const s of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    parts = parts.flatMap((p) => (typeof p !== 'string' ? [p] : p.split(s.value).flatMap((text, i) => (i === 0 ? [text] : [{ env: s.name }, text]))));
  }
  return parts.filter((p) => p !== '');
}

/** Templates for the string parameters that contain a named secret; undefined when none does. */
export function sealParameters(params: Record<string, unknown>, secrets: ReadonlyArray<{ name: string; value: string }>, mask: Mask): Sealed | undefined {
  const sealed: Sealed = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = String(value);
    const parts = partsOf(text, secrets.filter((s) => s.value.length > 0));
    // The text around the secrets is masked too (another secret's encoded form may be in it).
    if (parts.some((p) => typeof p !== 'string')) sealed[name] = { masked: mask(text), parts: parts.map((p) => (typeof p === 'string' ? mask(p) : p)) };
  }
  return Object.keys(sealed).length > 0 ? sealed : undefined;
}

/** `params` with each sealed parameter that still reads masked rebuilt from `env`. */
export function unsealParameters(params: Record<string, unknown>, sealed: Sealed | undefined, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  if (!sealed) return params;
  const out = { ...params };
  for (const [name, { masked, parts }] of Object.entries(sealed)) {
    if (out[name] !== masked) continue;
    out[name] = parts.map((p) => {
      if (typeof p === 'string') return p;
      const value = env[p.env];
      if (!value) throw new MissingValueError(`parameter ${name} holds the secret from the environment variable ${p.env}, which is not set`);
      return value;
    }).join('');
  }
  return out;
}
