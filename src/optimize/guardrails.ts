// Whether a suggestion may be applied now, as a pure rule over the suggestion, the others and the
// Optimization it belongs to: it is active and still the version the caller read; it has a runbook;
// its evidence is fresh; no other change for the plugin is in flight (one at a time, so an effect
// can be attributed); the plugin's cooldown since its last applied change has passed. The answer is
// the refusal, with the state and what a caller needs (the busy suggestion, the seconds to wait),
// or undefined.
import type { OptimizationItem } from './config.ts';
import { OptimizationError } from './errors.ts';
import { appliedEnds, etagOf, inFlight, type Suggestion } from './suggestion.ts';

/** Evidence older than this cannot be applied; a suggestion not confirmed for this long expires. */
export const staleAfter = (item: Pick<OptimizationItem, 'everyMs'>): number => Math.max(3 * item.everyMs, 3_600_000);

/** The refusal of acting on `s` (`verb`: applied, dismissed) when it is not active or `etag` is not its version. */
export function stateRefusal(s: Suggestion, etag: string | undefined, verb: string): OptimizationError | undefined {
  if (s.state !== 'active') return new OptimizationError('E_SUGGESTION_STATE', `suggestion ${s.id} is ${s.state}; only an active one can be ${verb}`, { state: s.state, etag: etagOf(s) });
  if (etag !== undefined && etag !== etagOf(s) && etag !== etagOf(s).slice(1, -1)) {
    return new OptimizationError('E_STALE_ETAG', `suggestion ${s.id} changed since it was read (etag ${etag}, now ${etagOf(s)}); read it again`, { state: s.state, etag: etagOf(s) });
  }
  return undefined;
}

export type ApplyRefusal = OptimizationError & { expire?: true };

export function applyRefusal(s: Suggestion, all: readonly Suggestion[], item: OptimizationItem | undefined, now: number, etag?: string): ApplyRefusal | undefined {
  const state = stateRefusal(s, etag, 'applied');
  if (state) return state;
  if (!s.apply) return new OptimizationError('E_NOT_APPLICABLE', `suggestion ${s.id} (${s.type}) has no runbook; name one under the analyzer's \`apply\` in Optimization ${s.optimization}`, { state: s.state });
  if (item && now - s.seenAt > staleAfter(item)) {
    return Object.assign(new OptimizationError('E_SUGGESTION_STATE', `suggestion ${s.id}'s evidence is stale (last confirmed ${new Date(s.seenAt).toISOString()}); it expired — wait for the next analysis`, { state: 'expired' }), { expire: true as const });
  }
  const busy = all.find((o) => o.plugin === s.plugin && inFlight.has(o.state));
  if (busy) return new OptimizationError('E_PLUGIN_BUSY', `plugin ${s.plugin} has a change in flight (suggestion ${busy.id}, ${busy.state}); one change at a time, so its effect can be told`, { state: s.state, busy: busy.id });
  const cooldownMs = item?.guardrails.cooldownMs ?? 0;
  const last = all.filter((o) => o.plugin === s.plugin && appliedEnds.has(o.state)).sort((a, b) => b.updatedAt - a.updatedAt)[0];
  if (last && now - last.updatedAt < cooldownMs) {
    const wait = Math.ceil((last.updatedAt + cooldownMs - now) / 1000);
    return new OptimizationError('E_COOLDOWN', `plugin ${s.plugin} changed ${Math.round((now - last.updatedAt) / 1000)} s ago (suggestion ${last.id}); its cooldown ends in ${wait} s`, { state: s.state, retryAfterSeconds: wait });
  }
  return undefined;
}
