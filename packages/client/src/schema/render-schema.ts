/**
 * Renders the client's types from the service's own OpenAPI document: the gateway is built in this process
 * with its real wiring (config, catalog, queue) but without starting the face worker, so no model loads,
 * and /openapi.json is asked of the app object. Dev-only: nothing in the client's runtime imports this.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@facerec/config';
import { buildGatewayDeps, createApp, createLogger } from '@facerec/gateway';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';

export const GENERATED_SCHEMA_PATH = new URL('./generated.ts', import.meta.url);
export const GENERATE_COMMAND = 'npm run client:generate';

const HEADER = `/**
 * Generated from the gateway's OpenAPI document by \`${GENERATE_COMMAND}\`: do not edit by hand.
 * packages/client/src/schema/schema-drift.test.ts fails when the routes and this file disagree.
 */
`;

/** The document the service serves at /openapi.json, from an app that never loads a model. */
export async function serviceOpenApiDocument(): Promise<OpenAPI3> {
  const dataDir = mkdtempSync(join(tmpdir(), 'facerec-openapi-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, []);
  const deps = await buildGatewayDeps(config, createLogger('silent'), {
    startLocalWorker: () => Promise.reject(new Error('no face worker: only the OpenAPI document is needed')),
  });
  try {
    const res = await createApp(deps).request('/openapi.json');
    if (!res.ok) throw new Error(`/openapi.json answered ${res.status}`);
    return (await res.json()) as OpenAPI3;
  } finally {
    await deps.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Multipart file parts are `format: binary` strings in OpenAPI; in a fetch client they are Blobs (or Files). */
function binaryAsBlob(schema: { format?: string; type?: unknown }): ts.TypeNode | undefined {
  if (schema.format === 'binary') return ts.factory.createTypeReferenceNode('Blob');
  return undefined;
}

export async function renderClientSchema(): Promise<string> {
  const nodes = await openapiTS(await serviceOpenApiDocument(), { transform: binaryAsBlob, alphabetize: true });
  return HEADER + astToString(nodes);
}
