export { createEnrollJobHandler } from './enroll-job-handler.ts';
export { parseEnrollManifest, type ManifestEntry } from './enroll-manifest.ts';
export { enrollPhoto, type EnrollPhotoRequest } from './enroll-photo.ts';
