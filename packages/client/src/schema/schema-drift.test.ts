/**
 * The committed client types must be what the gateway's routes generate today, so a route change that
 * forgets `npm run client:generate` fails CI instead of shipping a client that lies.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { GENERATE_COMMAND, GENERATED_SCHEMA_PATH, renderClientSchema } from './render-schema.ts';

it('generated.ts matches the OpenAPI document the routes produce', async () => {
  const committed = readFileSync(GENERATED_SCHEMA_PATH, 'utf8');
  const fresh = await renderClientSchema();
  if (fresh !== committed) {
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const first = b.findIndex((l, i) => l !== a[i]);
    const line = first === -1 ? b.length : first;
    expect.fail(
      `${fileURLToPath(GENERATED_SCHEMA_PATH)} is out of date with the gateway's routes (first difference at line ${line + 1}:\n` +
        `  committed: ${a[line]?.trim()}\n  routes:    ${b[line]?.trim()}).\nRun \`${GENERATE_COMMAND}\` and commit the result.`,
    );
  }
});
