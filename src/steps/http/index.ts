// `uses: http` — one HTTP request with assertions on the status, JSON body paths and the
// response time. Outputs: status, responseTime (ms), body (first 64 KiB).
import { Type } from '@sinclair/typebox';
import { isDeepStrictEqual } from 'node:util';
import { Duration, Timeout, MapOf, StringEnum } from '../../documents/schema/common.ts';
import { parseDuration } from '../../engine/duration.ts';
import { StepFailure, defineStep } from '../../engine/step.ts';
import { readPath } from './json-path.ts';

const maxBody = 64 * 1024;

export const httpStep = defineStep({
  description: 'Sends an HTTP request and checks the answer.',
  inputs: Type.Object({
    url: Type.String({ pattern: '^https?://' , description: 'An http:// or https:// URL.' }),
    method: Type.Optional(StringEnum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)),
    headers: Type.Optional(MapOf(Type.String())),
    body: Type.Optional(Type.Union([Type.String(), Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown())])),
    timeout: Type.Optional(Timeout),
    expect: Type.Optional(Type.Object({
      status: Type.Optional(Type.Union([Type.Integer(), Type.Array(Type.Integer(), { minItems: 1 })])),
      json: Type.Optional(MapOf(Type.Unknown(), 'JSON body path → expected value.')),
      bodyContains: Type.Optional(Type.String()),
      maxResponseTime: Type.Optional(Duration),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }),
  async handler(ctx) {
    const { url, method = 'GET', headers = {}, body, expect = {} } = ctx.inputs;
    const signal = ctx.inputs.timeout ? AbortSignal.any([ctx.signal, AbortSignal.timeout(parseDuration(ctx.inputs.timeout))]) : ctx.signal;
    const isJson = body !== undefined && typeof body !== 'string';
    const started = performance.now();
    let res: Response;
    try {
      res = await ctx.edges.fetch(url, {
        method, signal,
        headers: isJson ? { 'content-type': 'application/json', ...headers } : headers,
        body: body === undefined ? undefined : isJson ? JSON.stringify(body) : body,
      });
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      throw new StepFailure(`${method} ${url} failed: ${cause}`);
    }
    const text = await res.text();
    const responseTime = Math.round(performance.now() - started);
    ctx.setOutput('status', String(res.status));
    ctx.setOutput('responseTime', String(responseTime));
    ctx.setOutput('body', text.slice(0, maxBody));
    ctx.log(`${method} ${url} → ${res.status} in ${responseTime}ms`);

    const problems: string[] = [];
    const wanted = expect.status === undefined ? undefined : Array.isArray(expect.status) ? expect.status : [expect.status];
    if (wanted ? !wanted.includes(res.status) : !res.ok) problems.push(`status ${res.status}, expected ${wanted ? wanted.join(' or ') : '2xx'}`);
    if (expect.maxResponseTime && responseTime > parseDuration(expect.maxResponseTime)) problems.push(`response time ${responseTime}ms, expected at most ${expect.maxResponseTime}`);
    if (expect.bodyContains !== undefined && !text.includes(expect.bodyContains)) problems.push(`body does not contain "${expect.bodyContains}"`);
    if (expect.json) {
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { problems.push('body is not JSON'); }
      if (parsed !== undefined) for (const [path, value] of Object.entries(expect.json)) {
        const found = readPath(parsed, path);
        if (!isDeepStrictEqual(found, value)) problems.push(`${path} is ${JSON.stringify(found)}, expected ${JSON.stringify(value)}`);
      }
    }
    if (problems.length) throw new StepFailure(problems.join('; '));
  },
});
