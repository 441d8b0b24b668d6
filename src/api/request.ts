// Turning the parts of a request into the values a handler receives, each checked first:
// path parameters (decoded, then the id pattern: 400), the query (one value per name, coerced to
// the route's query schema, unknown names refused: 400) and the body (size, media type, JSON
// syntax, then the route's body schema: 413 / 415 / 400 / 422).
import type { IncomingMessage } from 'node:http';
import { decodeText } from '../documents/text.ts';
import { mediaOf, parseJson, readBody, utf8 } from './body.ts';
import { ApiError } from './errors.ts';
import { decodeSegment, idPattern, isId } from './ids.ts';
import type { DocumentText, Route } from './route.ts';
import { NoQuery } from './schemas/common.ts';
import { check, summarize } from './validate.ts';

export function readParams(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const decoded = decodeSegment(value);
    if (decoded === undefined || !isId(decoded)) {
      const message = `\`${name}\` is not an id: expected ${idPattern} (letters, digits, _ . : -, at most 128)`;
      throw new ApiError('badRequest', message, [{ path: `/${name}`, message }]);
    }
    out[name] = decoded;
  }
  return out;
}

export function readQuery(route: Route, text: string): unknown {
  const values: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(values, name)) throw new ApiError('badRequest', `query parameter \`${name}\` is given twice`, [{ path: `/${name}`, message: 'given twice' }]);
    values[name] = value;
  }
  const problems = check(route.query ?? NoQuery, values, true);
  if (problems.length) throw new ApiError('badRequest', `bad query: ${summarize(problems)}`, problems);
  return values;
}

/** The body the route's handler receives; undefined for routes without one (not read). */
export async function readRouteBody(route: Route, req: IncomingMessage, limit: number): Promise<unknown> {
  const spec = route.body;
  if (!spec) return undefined;
  const bytes = await readBody(req, limit);
  const type = req.headers['content-type'];
  if (spec.kind === 'document') {
    if (bytes.length === 0) throw new ApiError('invalid', 'the body is empty; expected a document', [{ line: 1, col: 1, code: 'E_REQUIRED', message: 'empty body' }]);
    const media = mediaOf(type, spec.media);
    const decoded = decodeText('body', bytes);
    if ('problem' in decoded) {
      const { line, col, code, message } = decoded.problem;
      throw new ApiError('invalid', `the body is not text: ${message}`, [{ line, col, code, message }]);
    }
    return { text: decoded.text, media } satisfies DocumentText;
  }
  let value: unknown = {};
  if (bytes.length > 0) {
    mediaOf(type, ['json']);
    value = parseJson(utf8(bytes));
  }
  const problems = check(spec.schema, value);
  if (problems.length) throw new ApiError('invalid', `the body does not fit: ${summarize(problems)}`, problems);
  return value;
}
