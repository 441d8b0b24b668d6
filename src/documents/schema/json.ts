// Turns a schema source into the JSON Schema document written to `schemas/`.
import type { TSchema } from '@sinclair/typebox';

export function toJsonSchema(_file: string, schema: TSchema): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...plain };
}

export const renderJsonSchema = (file: string, schema: TSchema): string =>
  JSON.stringify(toJsonSchema(file, schema), null, 2) + '\n';
