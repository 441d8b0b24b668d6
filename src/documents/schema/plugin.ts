// The plugin manifest: `config/plugin.json`, or `plugin.json` / `plugin.yaml` at the plugin's root.
import { Type, type Static } from '@sinclair/typebox';
import { Duration, Timeout, StringEnum } from './common.ts';

export const semverPattern = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$';

export const PluginManifest = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$', description: 'Lower-case letters, digits, `_`, `.` and `-`.' }),
  name: Type.String({ minLength: 1 }),
  version: Type.String({ pattern: semverPattern, description: 'A semantic version such as 1.2.3.' }),
  description: Type.Optional(Type.String()),
  runtime: StringEnum(['python', 'node', 'other'] as const),
  entry: Type.String({ minLength: 1, description: 'The entry file, relative to the plugin root, e.g. backend/plugin.py.' }),
  requiredFiles: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
  test: Type.Optional(Type.Object({
    command: Type.String({ minLength: 1 }),
    timeout: Type.Optional(Timeout),
    junit: Type.Optional(Type.String({ description: 'A JUnit XML file the command writes, relative to the plugin root.' })),
  }, { additionalProperties: false })),
  health: Type.Optional(Type.Object({
    url: Type.Optional(Type.String({ pattern: '^https?://', description: 'An http:// or https:// URL.' })),
    command: Type.Optional(Type.String({ minLength: 1 })),
    timeout: Type.Optional(Timeout),
    expectStatus: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  }, { additionalProperties: false })),
  exclude: Type.Optional(Type.Array(Type.String(), { description: 'Glob patterns left out of the package.' })),
  commands: Type.Optional(Type.Object({
    syntaxCheck: Type.Optional(Type.String({ description: 'For `runtime: other`: checks one file, named by $PLUGINOPS_FILE.' })),
    extensions: Type.Optional(Type.Array(Type.String({ pattern: '^\\.[A-Za-z0-9]+$' }))),
  }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'A pluginops plugin manifest.' });

export type PluginManifestDoc = Static<typeof PluginManifest>;
