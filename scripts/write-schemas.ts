// Writes schemas/*.schema.json from the schema sources in src/documents/schema/ and the step
// registry's input schemas.
import { registry } from '../src/wiring/registry.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedSchemas } from '../src/documents/schema/json.ts';

for (const [file, text] of Object.entries(publishedSchemas(registry.steps))) {
  writeFileSync(join(import.meta.dirname, '..', 'schemas', file), text);
  console.log(`schemas/${file}`);
}
