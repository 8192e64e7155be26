import type { components } from './schema/generated.ts';

export {
  createFacerecClient,
  type FacerecClient,
  type FacerecClientOptions,
  type EnrollManifestEntry,
  type ExtractFeatureForm,
  type CompareImageFeatureForm,
  type LegacyIdentifyForm,
  type EnrollFaceForm,
  type IdentifyForm,
  type VerifyForm,
  type ExtractJobForm,
  type EnrollJobForm,
  type SubmitOptions,
  type ClientData,
} from './facerec-client.ts';
export { FacerecApiError, FacerecUnreachableError, expectData } from './api-error.ts';
export { toFormData, multipart } from './multipart.ts';
export type { paths, components } from './schema/generated.ts';
/** The service's named request and response shapes (Collection, JobPage, IdentifyResponse, Error, …). */
export type Schemas = components['schemas'];
