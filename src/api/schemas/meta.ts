// The OpenAPI document as the API describes its own answer: the top-level fields it has, each
// checked only as far as its kind (the document is checked in full against the OpenAPI 3.1
// schema in the test suite).
import { Type } from '@sinclair/typebox';
import { Strict } from './common.ts';

const ByName = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

export const OpenApiDocument = Strict({
  openapi: Type.Literal('3.1.0'),
  info: Strict({
    title: Type.String(),
    version: Type.String(),
    description: Type.String(),
    license: Strict({ name: Type.String(), identifier: Type.String() }),
  }),
  servers: Type.Array(Strict({ url: Type.String(), description: Type.String() }), { minItems: 1 }),
  tags: Type.Array(Strict({ name: Type.String(), description: Type.String() })),
  security: Type.Array(ByName('A security requirement.')),
  paths: ByName('Operations by path template.'),
  components: Strict({ securitySchemes: ByName('How to authenticate.'), schemas: ByName('Schemas used in several places, by name.') }),
}, 'An OpenAPI 3.1 document.');
