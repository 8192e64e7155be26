export { createEnrollJobHandler } from './enroll-job-handler.ts';
export { parseEnrollManifest, type ManifestEntry } from './enroll-manifest.ts';
