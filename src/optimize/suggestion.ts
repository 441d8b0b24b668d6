// A suggestion and its life, as pure data and pure transitions. A finding of an analyzer becomes
// an `active` suggestion; a person (or the API, or the CLI) approves it, its runbook runs
// (`applying`), the effect is measured (`verifying`), and it ends `succeeded`, `reverted` (the
// change made things worse and was undone), `inconclusive` (too little data, or no measurable
// change) or `failed` (the runbook failed, hung or was rejected). `dismissed` by a person,
// `expired` when a later analysis no longer finds it or its evidence went stale.
//
// Every change bumps `version`; the etag is `"<id>.<version>"`. A request that names an etag
// acts only on that version, so a double click applies once: the second click's etag is stale.
import type { Finding, Severity } from './analysis/types.ts';

export const suggestionStates = [
  'active', 'approved', 'applying', 'verifying', 'reverting',
  'succeeded', 'reverted', 'inconclusive', 'failed', 'dismissed', 'expired',
] as const;
export type SuggestionState = (typeof suggestionStates)[number];

/** States in which a change to the plugin is in flight (one per plugin at a time). */
export const inFlight: ReadonlySet<SuggestionState> = new Set(['approved', 'applying', 'verifying', 'reverting']);
/** States that end a suggestion. */
export const ended: ReadonlySet<SuggestionState> = new Set(['succeeded', 'reverted', 'inconclusive', 'failed', 'dismissed', 'expired']);
/** Ended states that followed an apply (the history of changes). */
export const appliedEnds: ReadonlySet<SuggestionState> = new Set(['succeeded', 'reverted', 'inconclusive', 'failed']);

/** A runbook run with its parameters. */
export interface RunbookCall { runbook: string; parameters: Record<string, unknown> }

export interface RunRef { id: string; startedAt: number; finishedAt?: number; status?: string; error?: string }

export interface Measured { n: number; median: number; p90: number }

export interface Verification {
  metric: string;
  /** The window before the change [from, to) and after it, ms since the epoch. */
  before: Measured & { from: number; to: number };
  after: Measured & { from: number; to: number };
  /** The relative change of the median (0.25 = +25%). */
  change: number;
  p: number;
  outcome: 'better' | 'worse' | 'no-change' | 'insufficient';
}

export interface Transition { at: number; state: SuggestionState; by?: string; note?: string }

export interface Suggestion {
  id: string;
  /** `<optimization>/<plugin>/<type>`: at most one open suggestion per key. */
  key: string;
  optimization: string;
  plugin: string;
  analyzer: Finding['analyzer'];
  type: string;
  state: SuggestionState;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** When the evidence was last confirmed by an analysis. */
  seenAt: number;
  value?: number;
  previous?: number;
  unit?: string;
  description: Finding['description'];
  evidence: Finding['evidence'];
  expected: Finding['expected'];
  severity: Severity;
  confidence: number;
  signatures?: Finding['signatures'];
  likelyCause?: string;
  /** How it is applied and undone; absent when no runbook is configured for its kind. */
  apply?: RunbookCall;
  revert?: RunbookCall;
  /** The idempotency key of the apply that was accepted, so the same request repeated answers the same. */
  applyKey?: string;
  approvedBy?: string;
  /** The pinned safety backup taken before the apply run (`pluginops backup restore ID`). */
  backup?: string;
  run?: RunRef;
  revertRun?: RunRef;
  /** The expected metric over the verification window before the run started, `[t, v]` pairs (at most `keptBefore`). */
  before?: Array<[number, number]>;
  /** When the verdict is due (after warm-up and window). */
  verifyAt?: number;
  verification?: Verification;
  /** Why it failed, was dismissed or expired, or the verdict in words. */
  reason?: string;
  transitions: Transition[];
}

/** Samples of the window before a change kept with the suggestion. */
export const keptBefore = 4_096;

export const etagOf = (s: Pick<Suggestion, 'id' | 'version'>): string => `"${s.id}.${s.version}"`;

/** The suggestion in `state`, one version on, with the transition noted. */
export function moved(s: Suggestion, state: SuggestionState, at: number, extra: Partial<Suggestion> & { by?: string; note?: string } = {}): Suggestion {
  const { by, note, ...rest } = extra;
  return {
    ...s, ...rest, state, version: s.version + 1, updatedAt: at,
    transitions: [...s.transitions, { at, state, ...(by ? { by } : {}), ...(note ? { note } : {}) }],
  };
}

/** A new active suggestion from a finding. */
export function fromFinding(id: string, o: { optimization: string; plugin: string; finding: Finding; apply?: RunbookCall; revert?: RunbookCall; now: number }): Suggestion {
  const f = o.finding;
  return {
    id, key: keyOf(o.optimization, o.plugin, f.type), optimization: o.optimization, plugin: o.plugin, analyzer: f.analyzer, type: f.type,
    state: 'active', version: 1, createdAt: o.now, updatedAt: o.now, seenAt: o.now,
    ...(f.value !== undefined ? { value: f.value } : {}), ...(f.previous !== undefined ? { previous: f.previous } : {}), ...(f.unit ? { unit: f.unit } : {}),
    description: f.description, evidence: f.evidence, expected: f.expected, severity: f.severity, confidence: f.confidence,
    ...(f.signatures ? { signatures: f.signatures } : {}), ...(f.likelyCause ? { likelyCause: f.likelyCause } : {}),
    ...(o.apply ? { apply: o.apply } : {}), ...(o.revert ? { revert: o.revert } : {}),
    transitions: [{ at: o.now, state: 'active' }],
  };
}

export const keyOf = (optimization: string, plugin: string, type: string): string => `${optimization}/${plugin}/${type}`;
