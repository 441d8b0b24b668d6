// Secrets never reach an output: every value known to be secret, and its JSON-escaped,
// URL-encoded and base64 forms, is replaced by *** in events before any renderer or the store
// sees them.
import type { RunEvent } from '../engine/events.ts';

/** The forms a secret may take once it passed through an encoder. */
export function secretForms(value: string): string[] {
  const forms = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64')];
  return [...new Set(forms)].filter((f) => f.length >= 3);
}

export type Mask = (text: string) => string;

export function masker(secrets: readonly string[]): Mask {
  const forms = [...new Set(secrets.filter((s) => s.length >= 3).flatMap(secretForms))].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join('***');
    return out;
  };
}

/** The event with every free text (logs, errors, outputs, reasons) masked. */
export function maskEvent(e: RunEvent, mask: Mask): RunEvent {
  switch (e.type) {
    case 'step.log': return { ...e, message: mask(e.message) };
    case 'step.retrying': return { ...e, reason: mask(e.reason) };
    case 'step.skipped': return { ...e, reason: mask(e.reason) };
    case 'step.finished': return {
      ...e, outputs: Object.fromEntries(Object.entries(e.outputs).map(([k, v]) => [k, mask(v)])),
      ...(e.error !== undefined ? { error: mask(e.error) } : {}),
      ...(e.problems ? { problems: e.problems.map((p) => ({ ...p, message: mask(p.message), ...(p.title !== undefined ? { title: mask(p.title) } : {}) })) } : {}),
    };
    case 'execution.finished': return e.error !== undefined ? { ...e, error: mask(e.error) } : e;
    case 'step.kept': return { ...e, outputs: Object.fromEntries(Object.entries(e.outputs).map(([k, v]) => [k, mask(v)])) };
    case 'step.waiting': return e.approval.message !== undefined ? { ...e, approval: { ...e.approval, message: mask(e.approval.message) } } : e;
    case 'step.artifact': case 'step.started': case 'execution.started': return e;
  }
}
