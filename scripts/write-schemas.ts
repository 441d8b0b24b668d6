// Writes schemas/*.schema.json from the schema sources in src/documents/schema/.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFiles } from '../src/documents/schema/index.ts';
import { renderJsonSchema } from '../src/documents/schema/json.ts';

for (const [file, schema] of Object.entries(schemaFiles)) {
  writeFileSync(join(import.meta.dirname, '..', 'schemas', file), renderJsonSchema(file, schema));
  console.log(`schemas/${file}`);
}
