/** `npm run client:generate`: rewrites packages/client/src/schema/generated.ts from the gateway's routes. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_SCHEMA_PATH, renderClientSchema } from '../src/schema/render-schema.ts';

writeFileSync(GENERATED_SCHEMA_PATH, await renderClientSchema());
console.log(`wrote ${fileURLToPath(GENERATED_SCHEMA_PATH)}`);
