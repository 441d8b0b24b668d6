// Parameters given to a run, checked against the document's declarations: defaults filled,
// command-line strings converted to the declared type, required, enum, pattern and format
// enforced (the same checks `validate` runs on defaults).
import { checkParameterValue, type ParameterRules } from '../documents/parameters/value.ts';
import { PluginopsError } from '../errors/base.ts';

export class ParameterError extends PluginopsError {
  readonly code = 'E_PARAMETER';
  readonly kind = 'usage';
}

export interface ParameterDeclaration extends ParameterRules {
  description?: string;
  default?: string | number | boolean;
  required?: boolean;
}

export function resolveParameters(declared: Record<string, ParameterDeclaration>, given: Record<string, unknown>): Record<string, unknown> {
  // No process argument or environment variable can carry a NUL: refused here, by name.
  for (const [name, value] of Object.entries(given)) {
    if (typeof value === 'string' && value.includes('\0')) throw new ParameterError(`parameter \`${name}\` holds a NUL character (\\0); expected text without one`);
  }
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
    const checked = checkParameterValue(name, p, raw);
    if (!checked.ok) throw new ParameterError(checked.message);
    out[name] = checked.value;
  }
  return out;
}
