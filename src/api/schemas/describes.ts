// A compile-time check that an answer's schema describes the value the server really sends: the
// same field names, and the value fits the schema's type. Used as `true satisfies Describes<…>`
// beside each answer schema, so a field added to a record (the store's, the monitor's) without
// its description fails to compile instead of reaching clients undocumented.
import type { Static, TSchema } from '@sinclair/typebox';

type Unshared<A, B> = Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>;

export type Describes<S extends TSchema, Model> =
  [Model] extends [Static<S>]
    ? [Unshared<Model, Static<S>>] extends [never] ? true : { fieldsNotInBoth: Unshared<Model, Static<S>> }
    : { doesNotFit: Model };
