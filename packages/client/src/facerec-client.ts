import createClient, { type Client } from 'openapi-fetch';
import { FacerecUnreachableError } from './api-error.ts';
import { multipart } from './multipart.ts';
import type { paths } from './schema/generated.ts';

export interface FacerecClientOptions {
  /** e.g. http://127.0.0.1:8000 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` when the service runs with API_KEYS. */
  apiKey?: string | undefined;
  fetch?: typeof globalThis.fetch;
}

type FormOf<P extends keyof paths, M extends 'post'> = paths[P][M] extends { requestBody: { content: { 'multipart/form-data': infer F } } } ? F : never;

/** One manifest entry of POST /v1/jobs/enroll (the form carries it as a JSON string). */
export type EnrollManifestEntry =
  | string
  | {
      subject_id: string;
      metadata?: Record<string, unknown>;
      face_index?: number;
      face_box?: { x: number; y: number; width: number; height: number };
    };

export type ExtractFeatureForm = FormOf<'/api/extract_feature', 'post'>;
export type CompareImageFeatureForm = FormOf<'/api/compare_image_feature', 'post'>;
export type LegacyIdentifyForm = FormOf<'/api/identify', 'post'>;
export type EnrollFaceForm = FormOf<'/v1/collections/{name}/faces', 'post'>;
export type IdentifyForm = FormOf<'/v1/collections/{name}/identify', 'post'>;
export type VerifyForm = FormOf<'/v1/collections/{name}/verify', 'post'>;
export type ExtractJobForm = FormOf<'/v1/jobs/extract', 'post'>;
export type EnrollJobForm = Omit<FormOf<'/v1/jobs/enroll', 'post'>, 'images' | 'manifest'> & {
  /** Each File's name is its item ref and its key in `manifest`. */
  images: File[];
  manifest: Record<string, EnrollManifestEntry>;
};

export interface SubmitOptions {
  /** The same key and body return the same job (`created:false`) instead of starting another. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/** Turns fetch's bare "fetch failed" TypeError into an error that names the URL. */
function reachable(baseUrl: string, inner: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (err) {
      if (err instanceof TypeError) throw new FacerecUnreachableError(baseUrl, { cause: err });
      throw err;
    }
  };
}

/**
 * The typed client: `http` is openapi-fetch over the generated `paths` (every JSON route, typed request and
 * response), and the methods below cover the multipart routes, whose files openapi-fetch cannot send on its
 * own. Every call returns openapi-fetch's `{data, error, response}`; `expectData` unwraps or throws.
 */
export function createFacerecClient(options: FacerecClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http: Client<paths> = createClient<paths>({
    baseUrl,
    fetch: reachable(baseUrl, options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
    ...(options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {}),
  });
  return {
    baseUrl,
    http,
    extractFeature: (form: ExtractFeatureForm) => http.POST('/api/extract_feature', { body: form, ...multipart }),
    compareImageFeature: (form: CompareImageFeatureForm) => http.POST('/api/compare_image_feature', { body: form, ...multipart }),
    legacyIdentify: (form: LegacyIdentifyForm) => http.POST('/api/identify', { body: form, ...multipart }),
    enrollFace: (collection: string, form: EnrollFaceForm) =>
      http.POST('/v1/collections/{name}/faces', { params: { path: { name: collection } }, body: form, ...multipart }),
    identify: (collection: string, form: IdentifyForm) =>
      http.POST('/v1/collections/{name}/identify', { params: { path: { name: collection } }, body: form, ...multipart }),
    verify: (collection: string, form: VerifyForm) =>
      http.POST('/v1/collections/{name}/verify', { params: { path: { name: collection } }, body: form, ...multipart }),
    submitExtractJob: (form: ExtractJobForm, opts: SubmitOptions = {}) =>
      http.POST('/v1/jobs/extract', { params: { header: { 'idempotency-key': opts.idempotencyKey } }, body: form, signal: opts.signal, ...multipart }),
    submitEnrollJob: (form: EnrollJobForm, opts: SubmitOptions = {}) =>
      http.POST('/v1/jobs/enroll', {
        params: { header: { 'idempotency-key': opts.idempotencyKey } },
        signal: opts.signal,
        // The schema's manifest is the JSON text the form carries; callers hand over the object.
        body: { ...form, manifest: JSON.stringify(form.manifest) },
        ...multipart,
      }),
  };
}

export type FacerecClient = ReturnType<typeof createFacerecClient>;

type Method = { [K in keyof FacerecClient]: FacerecClient[K] extends (...args: never[]) => Promise<{ data?: unknown }> ? K : never }[keyof FacerecClient];

/** The 2xx body of one of the multipart helpers, e.g. `ClientData<'identify'>`, as openapi-fetch types it. */
export type ClientData<K extends Method> = NonNullable<Awaited<ReturnType<FacerecClient[K]>>['data']>;
