// Building blocks shared by every document schema. The schemas here are the single source of
// structure: `schemas/*.schema.json` are written from them (npm run schemas) and the TypeScript
// types are inferred from them, so the two cannot drift.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { maxAnyDuration, maxTimeout } from '../duration.ts';

export const apiVersion = 'pluginops/v1';

/** A string restricted to a closed list, as one `enum` (clearer errors than a union of consts). */
export const StringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

/** A map with arbitrary keys whose values follow `value`. */
export const MapOf = <T extends TSchema>(value: T, description?: string) =>
  Type.Unsafe<Record<string, Static<T>>>({ type: 'object', additionalProperties: value, ...(description ? { description } : {}) });

export const Id = Type.String({
  pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$',
  description: 'Letters, digits, `_` and `-`, starting with a letter.',
});

/** A duration string of at most `max` (see documents/duration.ts for the `maxDuration` keyword). */
export const DurationAtMost = (max: string) => Type.String({
  pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$',
  maxDuration: max,
  description: `A duration such as \`500ms\`, \`30s\`, \`5m\`, \`1h30m\`, at most \`${max}\`.`,
});

export const Duration = DurationAtMost(maxAnyDuration);

/** A timeout, a wait or a retry delay: at most 7 days, so a timer never waits past what it can count. */
export const Timeout = DurationAtMost(maxTimeout);

export const EnvMap = MapOf(Type.Union([Type.String(), Type.Number(), Type.Boolean()]), 'Environment variables; values may hold `${{ }}` expressions.');

export const Metadata = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  labels: Type.Optional(MapOf(Type.String())),
}, { additionalProperties: false });

/** The envelope every document shares: apiVersion, kind, metadata, spec. */
export const documentEnvelope = <K extends string, S extends TSchema>(kind: K, spec: S, description: string) =>
  Type.Object({
    apiVersion: Type.Literal(apiVersion),
    kind: Type.Literal(kind),
    metadata: Metadata,
    spec,
  }, { additionalProperties: false, description });
