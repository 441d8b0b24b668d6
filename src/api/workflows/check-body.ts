// Checking a document sent to the API (`PUT /api/workflows/{id}`, `/api/documents/…`): everything
// that costs CPU (JSON parse, YAML parse with positions, schema and step rules, YAML rendering of a
// JSON body) in one pure function from text to a plain verdict, so it can run in a worker thread
// and the verdict cross back by structured clone.
//
// The body is validated exactly like a file (`loadText`, with the project's document limits), so
// its diagnostics carry line and column in the body. It must hold one document of a kind the route
// accepts; when the route names an id, `metadata.id` must be that id. References to other
// documents (a rule's health check, a remediation's plans) cannot be judged from the body alone:
// they come back with their positions, for the caller to resolve against the project.
import type { DocumentRegistry } from '../../documents/registry.ts';
import { stringify } from 'yaml';
import { allDocuments, loadText } from '../../documents/load.ts';
import type { ParseLimits } from '../../documents/limits.ts';
import { knownReferences } from '../../documents/rules/documents.ts';
import type { DocumentKind } from '../../documents/schema/index.ts';
import { locate } from '../../documents/source.ts';
import type { Media } from '../body.ts';

export interface BodyJob {
  /** The id the path names; absent when the body's own id is taken (a create without an id). */
  id?: string;
  /** The kinds the route accepts (default Workflow and ActionPlan). */
  kinds?: readonly DocumentKind[];
  text: string;
  media: Media;
  limits: ParseLimits;
}

export interface Located { line: number; col: number; code: string; message: string }

/** A document the body names, as `Kind/id`, where it names it. */
export interface BodyReference extends Located { reference: string }

/** What the check found: the text to write, or why the body is refused (as an API problem). */
export type BodyVerdict =
  | { ok: true; kind: DocumentKind; id: string; text: string; references: BodyReference[] }
  | { ok: false; problem: 'invalid' | 'badJson'; message: string; details?: Located[] };

const runnable: readonly DocumentKind[] = ['Workflow', 'ActionPlan'];

export function checkWorkflowBody(job: BodyJob, registry: DocumentRegistry): BodyVerdict {
  const { id, text } = job;
  const kinds = job.kinds ?? runnable;
  const expected = kinds.join(' or ');
  // JSON.parse is linear (and iterative in V8); the YAML check below bounds the nesting before the
  // parsed value is rendered as YAML.
  let json: unknown;
  if (job.media === 'json') {
    try { json = JSON.parse(text); } catch (e) {
      return { ok: false, problem: 'badJson', message: `the body is not valid JSON: ${(e as Error).message.slice(0, 200)}` };
    }
  }
  const { set, diagnostics: all } = loadText(`${id ?? 'body'}.yml`, text, registry, job.limits);
  const diagnostics = all.filter((d) => d.code !== 'E_UNKNOWN_REFERENCE');
  const invalid = (line: number, col: number, message: string): BodyVerdict => ({ ok: false, problem: 'invalid', message, details: [{ line, col, code: 'E_VALUE', message }] });
  if (diagnostics.length) {
    return { ok: false, problem: 'invalid', message: `${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} in the document`,
      details: diagnostics.map(({ line, col, code, message }) => ({ line, col, code, message })) };
  }
  const docs = allDocuments(set);
  const first = docs[0];
  if (!first) return invalid(1, 1, `the body holds no document; expected one ${expected}`);
  const second = docs[1];
  if (second) { const at = locate(second.src, []); return invalid(at.line, at.col, `the body holds ${docs.length} documents; expected exactly one ${expected}`); }
  if (!kinds.includes(first.kind)) {
    const at = locate(first.src, ['kind']);
    return invalid(at.line, at.col, `found a ${first.kind}; expected a ${expected}${job.kinds ? ' (the kind in the path)' : ''}`);
  }
  if (id !== undefined && first.id !== id) {
    const at = locate(first.src, ['metadata', 'id']);
    return invalid(at.line, at.col, `metadata.id is \`${first.id}\`, expected \`${id}\` (the id in the path)`);
  }
  const references = knownReferences(set).map(({ reference, line, col, code, message }) => ({ reference, line, col, code, message }));
  const out = json === undefined ? text : stringify(json);
  return { ok: true, kind: first.kind, id: first.id, text: out.endsWith('\n') ? out : `${out}\n`, references };
}
