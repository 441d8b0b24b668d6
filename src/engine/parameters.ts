// Parameters given to a run, checked against the document's declarations: defaults filled,
// command-line strings converted to the declared type, required and enum enforced.
import type { ParameterDoc } from '../documents/schema/index.ts';

export class ParameterError extends Error {
  readonly code = 'E_PARAMETER';
}

export function resolveParameters(declared: Record<string, ParameterDoc>, given: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(declared);
  const out: Record<string, unknown> = {};
  if (names.length > 0) {
    for (const name of Object.keys(given)) {
      if (!Object.hasOwn(declared, name)) throw new ParameterError(`unknown parameter \`${name}\`; expected one of: ${names.join(', ')}`);
    }
  } else {
    Object.assign(out, given);
  }
  for (const [name, p] of Object.entries(declared)) {
    const raw = Object.hasOwn(given, name) ? given[name] : p.default;
    if (raw === undefined) {
      if (p.required) throw new ParameterError(`parameter \`${name}\` is required${p.description ? ` (${p.description})` : ''}`);
      continue;
    }
    const value = convert(name, raw, p.type ?? 'string');
    if (p.enum && !p.enum.some((e) => e === value)) throw new ParameterError(`parameter \`${name}\` is ${JSON.stringify(value)}, expected one of: ${p.enum.join(', ')}`);
    out[name] = value;
  }
  return out;
}

function convert(name: string, raw: unknown, type: 'string' | 'number' | 'boolean'): unknown {
  if (typeof raw === type) return raw;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
    const text = String(raw);
    if (type === 'string') return text;
    if (type === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
    if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  }
  throw new ParameterError(`parameter \`${name}\` is ${JSON.stringify(raw)}, expected a ${type}`);
}
