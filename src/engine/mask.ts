// The one masker. Secrets never reach an output: every value known to be secret is replaced by
// *** — its literal text, each line of a multi-line value on its own, and the forms an encoder
// gives them: JSON-escaped, URL-encoded, and base64 at each of the three byte alignments (so
// `user:secret` in a basic-auth header is masked too), plain and URL-encoded. Run events, the
// store, the API, the stream, logs, notifications and the Action all mask through `masker`.
import type { ProjectDoc } from '../documents/schema/project.ts';
import type { RunEvent } from './events.ts';
import type { ApprovalRecord } from '../store/types.ts';
import { projectSecrets } from '../documents/values/secrets.ts';

export type Mask = (text: string) => string;

/** Shorter values (a whole secret, or a line of one) are not masked on their own. */
export const minSecretLength = 3;
/** A base64 form cut at an unaligned edge is masked only from this length on. */
const minShiftedLength = 6;

const b64 = (bytes: Buffer): string => bytes.toString('base64');

/**
 * Base64 of `value` as it reads inside a longer base64 text, at the three offsets the value can
 * start at (0, 1 or 2 bytes after a 3-byte boundary). The characters that also depend on the
 * bytes before or after it are cut: 2 in front at offset 1, 3 at offset 2, and the last one
 * when the value does not end on a boundary. The whole base64 (padding included) is kept too.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [b64(bytes)];
  for (const shift of [0, 1, 2]) {
    let text = b64(Buffer.concat([Buffer.alloc(shift), bytes])).replace(/=+$/, '');
    if ((shift + bytes.length) % 3 !== 0) text = text.slice(0, -1);
    text = text.slice([0, 2, 3][shift]);
    if (text.length >= minShiftedLength) forms.push(text);
  }
  return forms;
}

function formsOfOne(value: string): string[] {
  const base = base64Forms(value);
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), ...base, ...base.map(encodeURIComponent)];
}

/** The lines of a multi-line value worth masking on their own (trimmed, not trivially short). */
export function secretLines(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [];
  return value.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l.length >= minSecretLength);
}

/** Every form of a secret that is masked: of the whole value and of each of its lines. */
export function secretForms(value: string): string[] {
  if (value.length < minSecretLength) return [];
  const forms = [value, ...secretLines(value)].flatMap(formsOfOne);
  return [...new Set(forms)].filter((f) => f.length >= minSecretLength);
}

/** Replaces every form of every secret by ***, longest forms first. */
export function masker(secrets: readonly string[]): Mask {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join('***');
    return out;
  };
}

/** The project's secrets (its `secrets:` and every `{ env: NAME }` value), plus `extra`, as one mask. */
export const projectMask = (config: ProjectDoc, env: Readonly<Record<string, string | undefined>>, extra: readonly string[] = []): Mask =>
  masker(projectSecrets(config, env, extra));

/** `value` with every string (not the keys) masked; numbers, booleans and null are kept. */
export function maskDeep<T>(value: T, mask: Mask): T;
export function maskDeep(value: unknown, mask: Mask): unknown {
  if (typeof value === 'string') return mask(value);
  // A number that spells a secret (a PIN, a numeric token) is masked as text.
  if (typeof value === 'number') { const text = String(value); const masked = mask(text); return masked === text ? value : masked; }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)]));
  }
  return value;
}

const maskValues = (values: Record<string, string>, mask: Mask): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, mask(v)]));

/** An approval's free texts: its title, message, parameters and what each decision said. */
export function maskApproval(a: ApprovalRecord, mask: Mask): ApprovalRecord {
  return {
    ...a, title: mask(a.title), parameters: maskDeep(a.parameters, mask),
    ...(a.message !== undefined ? { message: mask(a.message) } : {}),
    decisions: a.decisions.map((d) => ({ ...d, ...(d.comment !== undefined ? { comment: mask(d.comment) } : {}), ...(d.values ? { values: maskDeep(d.values, mask) } : {}) })),
  };
}

/** The event with every free text (logs, errors, outputs, reasons, the approval asked for) masked. */
export function maskEvent(e: RunEvent, mask: Mask): RunEvent {
  switch (e.type) {
    case 'step.log': return { ...e, message: mask(e.message) };
    case 'step.retrying': return { ...e, reason: mask(e.reason) };
    case 'step.skipped': return { ...e, reason: mask(e.reason) };
    case 'step.finished': return {
      ...e, outputs: maskValues(e.outputs, mask),
      ...(e.error !== undefined ? { error: mask(e.error) } : {}),
      ...(e.problems ? { problems: e.problems.map((p) => ({ ...p, message: mask(p.message), ...(p.title !== undefined ? { title: mask(p.title) } : {}) })) } : {}),
    };
    case 'execution.finished': return e.error !== undefined ? { ...e, error: mask(e.error) } : e;
    case 'step.kept': return { ...e, outputs: maskValues(e.outputs, mask) };
    case 'step.waiting': return { ...e, approval: maskApproval(e.approval, mask) };
    case 'step.artifact': case 'step.started': case 'execution.started': return e;
    default: return unknownKind(e);
  }
}

/** Every kind is decided above: a new kind of run event does not compile until it is. */
function unknownKind(e: never): never {
  throw new Error(`a run event of an unknown kind: ${JSON.stringify(e)}`);
}
