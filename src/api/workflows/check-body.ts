// Checking a workflow or action plan sent to `PUT /api/workflows/{id}`: everything that costs CPU
// (JSON parse, YAML parse with positions, schema and step rules, YAML rendering of a JSON body)
// in one pure function from text to a plain verdict, so it can run in a worker thread and the
// verdict cross back by structured clone.
//
// The body is validated exactly like a file (`loadText`, with the project's document limits), so
// its diagnostics carry line and column in the body. It must hold one Workflow or ActionPlan whose
// `metadata.id` is the id of the path.
import type { DocumentRegistry } from '../../documents/registry.ts';
import { stringify } from 'yaml';
import { allDocuments, loadText } from '../../documents/load.ts';
import type { ParseLimits } from '../../documents/limits.ts';
import { locate } from '../../documents/source.ts';
import type { Media } from '../body.ts';

export type RunnableKind = 'Workflow' | 'ActionPlan';

export interface BodyJob {
  id: string;
  text: string;
  media: Media;
  limits: ParseLimits;
}

export interface Located { line: number; col: number; code: string; message: string }

/** What the check found: the text to write, or why the body is refused (as an API problem). */
export type BodyVerdict =
  | { ok: true; kind: RunnableKind; text: string }
  | { ok: false; problem: 'invalid' | 'badJson'; message: string; details?: Located[] };

const isRunnableKind = (k: string): k is RunnableKind => k === 'Workflow' || k === 'ActionPlan';

export function checkWorkflowBody(job: BodyJob, registry: DocumentRegistry): BodyVerdict {
  const { id, text } = job;
  // JSON.parse is linear (and iterative in V8); the YAML check below bounds the nesting before the
  // parsed value is rendered as YAML.
  let json: unknown;
  if (job.media === 'json') {
    try { json = JSON.parse(text); } catch (e) {
      return { ok: false, problem: 'badJson', message: `the body is not valid JSON: ${(e as Error).message.slice(0, 200)}` };
    }
  }
  const { set, diagnostics } = loadText(`${id}.yml`, text, registry, job.limits);
  const invalid = (line: number, col: number, message: string): BodyVerdict => ({ ok: false, problem: 'invalid', message, details: [{ line, col, code: 'E_VALUE', message }] });
  if (diagnostics.length) {
    return { ok: false, problem: 'invalid', message: `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the document`,
      details: diagnostics.map(({ line, col, code, message }) => ({ line, col, code, message })) };
  }
  const docs = allDocuments(set);
  const first = docs[0];
  if (!first) return invalid(1, 1, 'the body holds no document; expected one Workflow or ActionPlan');
  const second = docs[1];
  if (second) { const at = locate(second.src, []); return invalid(at.line, at.col, `the body holds ${docs.length} documents; expected exactly one Workflow or ActionPlan`); }
  if (!isRunnableKind(first.kind)) {
    const at = locate(first.src, ['kind']);
    return invalid(at.line, at.col, `found a ${first.kind}; expected a Workflow or ActionPlan`);
  }
  if (first.id !== id) {
    const at = locate(first.src, ['metadata', 'id']);
    return invalid(at.line, at.col, `metadata.id is \`${first.id}\`, expected \`${id}\` (the id in the path)`);
  }
  const out = json === undefined ? text : stringify(json);
  return { ok: true, kind: first.kind, text: out.endsWith('\n') ? out : `${out}\n` };
}
