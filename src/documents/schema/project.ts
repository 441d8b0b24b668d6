// The project file `pluginops.yml`: where documents live, the store, defaults.
import { Type, type Static } from '@sinclair/typebox';
import { apiVersion } from './common.ts';

export const Project = Type.Object({
  apiVersion: Type.Literal(apiVersion),
  kind: Type.Literal('Project'),
  documents: Type.Optional(Type.Array(Type.String(), { description: 'Files or directories of documents, relative to this file (default: `pipelines`).' })),
  plugins: Type.Optional(Type.Array(Type.String(), { description: 'Directories that hold plugins.' })),
  store: Type.Optional(Type.Object({
    path: Type.Optional(Type.String({ description: 'Where the embedded store keeps state (default `.pluginops`).' })),
  }, { additionalProperties: false })),
  defaults: Type.Optional(Type.Object({
    maxParallel: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })),
    killGracePeriod: Type.Optional(Type.String({ pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+$' })),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'The pluginops project file.' });

export type ProjectDoc = Static<typeof Project>;
