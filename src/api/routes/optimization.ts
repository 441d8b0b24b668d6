// Optimization: suggestions with their evidence (list, one with its ETag), apply (also the seed's
// `POST /api/optimization/execute/{id}`), dismiss, the history of applied and ended suggestions,
// the sources and the last analyses, and an analysis run now. Apply and dismiss take the etag
// (`If-Match` or the body's `etag`) and an idempotency key (`Idempotency-Key` or `key`): a
// stale etag or a suggestion that is not active is 409 with `details.reason` and the state.
import { Type } from '@sinclair/typebox';
import type { IncomingMessage } from 'node:http';
import type { Optimizer } from '../../optimize/optimizer.ts';
import { etagOf, type Suggestion as SuggestionModel } from '../../optimize/suggestion.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { defineRoute } from '../route.ts';
import { ApplyBody, DismissBody, DryRunAnswer, HistoryQuery, OptimizationStatus, Suggestion, SuggestionsQuery } from '../schemas/optimization.ts';
import { isFinding } from '../../optimize/analysis/types.ts';

const optimizerOf = (deps: ApiDeps): Optimizer => {
  const o = deps.optimizer?.();
  if (!o) throw new ApiError('unavailable', 'optimization is not running in this process');
  return o;
};

export const withEtag = (s: SuggestionModel) => ({ ...s, etag: etagOf(s) });

/** An `If-Match` or `Idempotency-Key` header; one too long to be ours is refused, not ignored (a check asked for must not be skipped). */
const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  if (typeof v !== 'string' || v.length === 0) return undefined;
  if (v.length > 200) throw new ApiError('badRequest', `the ${name} header is ${v.length} characters long; at most 200`, [{ path: `/headers/${name}`, message: 'longer than 200 characters' }]);
  return v;
};

const applyRoute = (path: '/api/optimization/suggestions/{id}/apply' | '/api/optimization/execute/{id}', operationId: string, summary: string) => defineRoute({
  method: 'POST', path, access: 'write', tag: 'optimization', operationId, summary,
  description: 'Runs the suggestion\'s runbook with its parameters (with an approval first when the runbook or `guardrails.requireApproval` asks); the suggestion goes `approved` → `applying`, then `verifying` once the run succeeded. 409 (`details.reason`): not active (E_SUGGESTION_STATE), a stale etag (E_STALE_ETAG), another change in flight for the plugin (E_PLUGIN_BUSY), the plugin\'s cooldown (E_COOLDOWN, with `retryAfterSeconds`), no runbook (E_NOT_APPLICABLE). The same `Idempotency-Key` again answers the suggestion as it stands. `dryRun` answers what would run.',
  body: { kind: 'json', schema: ApplyBody, description: 'Optional: the etag, an idempotency key, dryRun.' },
  answer: { status: 200, description: 'The suggestion after the request, or what a dry run would run.', data: Type.Union([Suggestion, DryRunAnswer]) },
  errors: ['notFound', 'conflict', 'unavailable'],
  async handle({ deps, params, body, caller, req }) {
    const by = caller.name ?? 'api';
    const etag = body.etag ?? header(req, 'if-match');
    const key = body.key ?? header(req, 'idempotency-key');
    const out = await optimizerOf(deps).apply(params.id, { by, ...(etag ? { etag } : {}), ...(key ? { key } : {}), ...(body.dryRun ? { dryRun: true } : {}) });
    if ('dryRun' in out) return { data: { ...out, suggestion: withEtag(out.suggestion) }, message: `dry run: would run ${out.runbook}` };
    deps.log(`suggestion ${out.id} apply by ${by}: ${out.state}`, 'info', { suggestion: out.id, by });
    return { data: withEtag(out), message: `suggestion ${out.id} is ${out.state}`, headers: { etag: etagOf(out) } };
  },
});

export const optimizationRoutes = [
  defineRoute({
    method: 'GET', path: '/api/optimization/suggestions', access: 'read', tag: 'optimization', operationId: 'listSuggestions',
    summary: 'Suggestions, newest change first (open ones unless `state` says otherwise)',
    query: SuggestionsQuery,
    answer: { status: 200, description: 'Matching suggestions.', data: Type.Array(Suggestion), headers: { 'X-Total-Count': 'How many match before `limit`.' } },
    errors: ['unavailable'],
    async handle({ deps, query }) {
      const all = optimizerOf(deps).list({ state: query.state ?? 'open', ...(query.plugin ? { plugin: query.plugin } : {}), ...(query.optimization ? { optimization: query.optimization } : {}), ...(query.type ? { type: query.type } : {}) });
      const page = all.slice(0, query.limit ?? 100).map(withEtag);
      return { data: page, message: `${all.length} suggestion${all.length === 1 ? '' : 's'}`, headers: { 'x-total-count': String(all.length) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/optimization/suggestions/{id}', access: 'read', tag: 'optimization', operationId: 'getSuggestion',
    summary: 'One suggestion with its evidence, runbook, runs and verification',
    answer: { status: 200, description: 'The suggestion; `ETag` is its version.', data: Suggestion, headers: { ETag: 'The suggestion\'s version, for `If-Match`.' } },
    errors: ['notFound', 'unavailable'],
    async handle({ deps, params }) {
      const s = optimizerOf(deps).get(params.id);
      if (!s) throw new ApiError('notFound', `there is no suggestion ${params.id}`);
      return { data: withEtag(s), headers: { etag: etagOf(s) } };
    },
  }),
  applyRoute('/api/optimization/suggestions/{id}/apply', 'applySuggestion', 'Apply a suggestion: run its runbook, then verify the effect'),
  applyRoute('/api/optimization/execute/{id}', 'executeSuggestion', 'Apply a suggestion (the same as …/suggestions/{id}/apply)'),
  defineRoute({
    method: 'POST', path: '/api/optimization/suggestions/{id}/dismiss', access: 'write', tag: 'optimization', operationId: 'dismissSuggestion',
    summary: 'Dismiss an active suggestion; the same change is not suggested again within the cooldown',
    body: { kind: 'json', schema: DismissBody, description: 'Optional: the etag and why.' },
    answer: { status: 200, description: 'The dismissed suggestion.', data: Suggestion },
    errors: ['notFound', 'conflict', 'unavailable'],
    async handle({ deps, params, body, caller, req }) {
      const by = caller.name ?? 'api';
      const etag = body.etag ?? header(req, 'if-match');
      const s = await optimizerOf(deps).dismiss(params.id, { by, ...(etag ? { etag } : {}), ...(body.reason ? { reason: body.reason } : {}) });
      return { data: withEtag(s), message: `suggestion ${s.id} dismissed` };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/optimization/history', access: 'read', tag: 'optimization', operationId: 'optimizationHistory',
    summary: 'Ended suggestions, newest first: applied ones with their verdict and before/after numbers, dismissed and expired ones',
    query: HistoryQuery,
    answer: { status: 200, description: 'Ended suggestions.', data: Type.Array(Suggestion), headers: { 'X-Total-Count': 'How many match before `limit`.' } },
    errors: ['unavailable'],
    async handle({ deps, query }) {
      const all = optimizerOf(deps).history({ ...(query.plugin ? { plugin: query.plugin } : {}), ...(query.optimization ? { optimization: query.optimization } : {}), ...(query.state ? { state: query.state } : {}) });
      return { data: all.slice(0, query.limit ?? 100).map(withEtag), message: `${all.length} ended suggestion${all.length === 1 ? '' : 's'}`, headers: { 'x-total-count': String(all.length) } };
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/optimization/status', access: 'read', tag: 'optimization', operationId: 'optimizationStatus',
    summary: 'What is analysed from which sources, source errors, and what the last analyses found or why they found nothing',
    answer: { status: 200, description: 'Optimizations, sources and analyses.', data: OptimizationStatus },
    errors: ['unavailable'],
    async handle({ deps }) {
      const o = optimizerOf(deps);
      const st = o.status();
      return {
        data: {
          optimizations: [...o.config.items.values()].map((i) => ({ id: i.id, plugins: i.plugins, everyMs: i.everyMs, ...(st.nextAt[i.id] !== undefined ? { nextAt: st.nextAt[i.id] } : {}) })),
          sources: st.sources,
          analyses: st.analyses.map((a) => ({
            optimization: a.optimization, plugin: a.plugin, at: a.at, findings: a.analyses.filter(isFinding).length,
            notes: a.analyses.flatMap((x) => (isFinding(x) ? [] : [{ analyzer: x.analyzer, reason: x.reason, message: x.message }])),
          })),
          counts: o.counts(),
        },
      };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/optimization/analyze', access: 'write', tag: 'optimization', operationId: 'analyzeNow',
    summary: 'Analyse every optimization (or one, or one plugin) now',
    query: Type.Object({ optimization: Type.Optional(Type.String({ maxLength: 128 })), plugin: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false }),
    body: { kind: 'json', schema: Type.Object({}, { additionalProperties: false }), description: 'Nothing.' },
    answer: { status: 200, description: 'The open suggestions afterwards.', data: Type.Array(Suggestion) },
    errors: ['unavailable'],
    async handle({ deps, query }) {
      const o = optimizerOf(deps);
      const done = await o.analyze({ all: true, ...(query.optimization ? { optimization: query.optimization } : {}), ...(query.plugin ? { plugin: query.plugin } : {}) });
      const open = o.list({ state: 'open' }).map(withEtag);
      return { data: open, message: `${done.length} plugin analys${done.length === 1 ? 'is' : 'es'}; ${open.length} open suggestion${open.length === 1 ? '' : 's'}` };
    },
  }),
];
