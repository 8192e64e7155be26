/**
 * Generated from the gateway's OpenAPI document by `npm run client:generate`: do not edit by hand.
 * packages/client/src/schema/schema-drift.test.ts fails when the routes and this file disagree.
 */
export interface paths {
    "/api/compare_features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Compare two feature vectors (1:1)
         * @description `similarity` is the raw cosine; `is_same_person` compares it with `threshold` (the request's, else the calibrated default).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CompareFeaturesRequest"];
                };
            };
            responses: {
                /** @description Compared */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CompareResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/compare_image_feature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Compare the primary face of an image with a stored feature vector (1:1) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * @description JSON array holding the stored feature vector
                         * @example [0.1, 0.2, 0.3]
                         */
                        feature: string;
                        flip_tta?: boolean;
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Cosine decision threshold for this request; defaults to the calibrated one */
                        threshold?: number;
                    };
                };
            };
            responses: {
                /** @description Compared */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CompareImageFeatureResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extract_feature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extract the feature vector of the primary face in an image
         * @description Detects every face, picks the largest (ties: nearest the centre), aligns and embeds it. `quality_passed` is false when the face has a blocking quality reason; the feature is still returned so the caller decides.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** @description Embed the face and its mirror image (slower) */
                        flip_tta?: boolean;
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs */
                        liveness?: boolean;
                    };
                };
            };
            responses: {
                /** @description Feature extracted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ExtractFeatureResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/identify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Identify the primary face against a collection (default: `default`), in the original API's response style
         * @description `user_id` is the matched subject_id, or null when no enrolled subject reaches the threshold (`decision: unknown`) or two do within the calibrated margin (`decision: ambiguous`). The threshold follows the collection's gallery size, as in /v1/collections/{name}/identify.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * @default default
                         * @example staff
                         */
                        collection?: string;
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Decide at this false-positive identification rate for this request instead of the collection's */
                        target_fpir?: number;
                        /** @description Cosine decision threshold for this request; defaults to the calibrated one */
                        threshold?: number;
                    };
                };
            };
            responses: {
                /** @description Identified */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LegacyIdentifyResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 once the models are loaded (or workers reachable), else 503 */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
                /** @description Not ready */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics of this process (text exposition format)
         * @description Open like /health: labels are bounded and name no collection, subject, face or key. README "Metrics" lists every series.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format 0.0.4 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's collections, by name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Collections */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CollectionList"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create a collection; the service's current embedder is pinned to it */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateCollectionRequest"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Collection"] & {
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Refused on its merits (e.g. quality gate) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A collection with its counts and the decision rule in force (threshold, and why) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The collection */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Collection"] & {
                            /** @enum {boolean} */
                            success: true;
                        };
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a collection with every subject, face and vector in it */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deleted"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The whole collection as JSON Lines (settings, subjects, faces with embeddings, optionally crops)
         * @description Streams `header` (settings and embedder), then per subject its `subject` line (metadata) and `face` lines (embedding, model id, quality, box, sha256 and, with `crops=true`, the stored aligned crop as base64), then an `end` line with the counts and the running vector sum. `POST /v1/collections/import` takes it back. A stream cut short has no `end` line and is refused on import.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Include each face's stored crop (base64): needed to re-embed with another model on import */
                    crops?: "true" | "false";
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The collection, one JSON record per line */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/x-ndjson": string;
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/faces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enroll the face in an image under a subject
         * @description 201 for a new face; 200 with the existing face for the same image bytes and subject (safe to retry). With several faces the dominant one is enrolled (the photo's subject, much more prominent than bystanders); when none dominates, 422 `multiple_faces` lists every face (`details.faces`: index and box) and the client sends `face_index` or `face_box`. 422 `low_quality` when the face fails the quality gate; 422 `spoof_suspected` when LIVENESS=enforce and the passive liveness check fails; 409 `subject_conflict` when identify would name another subject for it at the collection's current threshold (unless `on_conflict=allow`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** @description With several faces and none dominant, enroll the most prominent instead of refusing */
                        allow_multiple?: boolean;
                        /**
                         * @description Enroll the detected face that best overlaps this box (JSON {x, y, width, height} in image pixels)
                         * @example {"x":40,"y":30,"width":90,"height":110}
                         */
                        face_box?: string;
                        /** @description Enroll this face (an index from the multiple_faces error's `faces`) */
                        face_index?: number;
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs */
                        liveness?: boolean;
                        /**
                         * @description JSON object stored with the subject (at most 16 KB)
                         * @example {"team":"blue"}
                         */
                        metadata?: string;
                        /**
                         * @description `allow` enrolls even when the face matches another subject
                         * @default reject
                         * @enum {string}
                         */
                        on_conflict?: "reject" | "allow";
                        /** @example alice */
                        subject_id: string;
                    };
                };
            };
            responses: {
                /** @description Already enrolled: the existing face */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EnrollResponse"];
                    };
                };
                /** @description Enrolled */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EnrollResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Refused on its merits (e.g. quality gate) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/faces/{face_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one enrolled face (the subject stays) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    face_id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deleted"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/identify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Identify every face in an image (1:N, open set)
         * @description For each face: its box, quality, the top_k most similar subjects (best first; a subject is scored by the template of all its faces), and a `decision`: `match` when the top subject reaches the collection's threshold (which keeps the false-positive identification rate at its target for the current gallery size), `unknown` when nobody does (a normal answer), `ambiguous` when two subjects reach it within the calibrated margin. `match` repeats the top candidate when the decision is `match`, else null.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs */
                        liveness?: boolean;
                        /** @description Decide at this false-positive identification rate for this request instead of the collection's */
                        target_fpir?: number;
                        /** @description Cosine decision threshold for this request; defaults to the calibrated one */
                        threshold?: number;
                        /** @default 5 */
                        top_k?: number;
                    };
                };
            };
            responses: {
                /** @description Identified */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["IdentifyResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/migrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The collection's migrations, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Migrations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationList"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Move the collection to another embedder by re-embedding its stored crops
         * @description Answers 202 with the migration and its job (GET /v1/jobs/{id} for progress, DELETE /v1/jobs/{id} cancels, `webhook_url`). Every stored aligned crop is re-embedded with `embedder` into a new space while the collection keeps answering with its current model; enrollments and deletes meanwhile reach both. When the job ends the migration is `ready` with a report (faces migrated, failed, self-consistency), and `POST …/migrations/{id}/commit` (or `auto_commit`) switches the collection in one step; `…/rollback` before that leaves it untouched. A collection created with `store_crops: false` keeps no crops: 409 `crops_required` (enroll the original photos into a new collection instead).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Switch as soon as every face is re-embedded (default false: wait for POST …/commit) */
                        auto_commit?: boolean;
                        /**
                         * @description A calibrated embedder of the service's manifest
                         * @example arcface-mobilenet-128
                         */
                        embedder: string;
                        /**
                         * Format: uri
                         * @description POSTed a signed event when the re-embedding job ends
                         */
                        webhook_url?: string;
                    };
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description At capacity; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/migrations/{migration_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A migration: state, its job's progress and, once ready, the report */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    migration_id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The migration */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Abandon a migration before its commit: the job stops, the new vectors go, the collection is untouched
         * @description After the commit it is too late (409 `migration_committed`); a migration that already ended is answered as it is.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    migration_id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Rolled back */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/migrations/{migration_id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Switch the collection to the migration's embedder, in one step
         * @description Only a `ready` migration whose report has no failures (409 `migration_running`, `migration_incomplete`, `migration_ended` otherwise). Face writes wait (503 `collection_switching`) for the moment of the switch; afterwards every request is answered from the new space and the old vectors are dropped. Committing again answers the committed migration.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    migration_id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Committed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/migrations/{migration_id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Abandon a migration before its commit: the job stops, the new vectors go, the collection is untouched
         * @description After the commit it is too late (409 `migration_committed`); a migration that already ended is answered as it is.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    migration_id: string;
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Rolled back */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MigrationResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The top_k faces nearest a raw feature vector */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SearchRequest"];
                };
            };
            responses: {
                /** @description Nearest faces, best first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SearchResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/subjects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Subjects by subject_id, a page at a time */
        get: {
            parameters: {
                query?: {
                    /** @description next_cursor of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of subjects */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SubjectPage"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/subjects/{subject_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subject with its metadata and faces */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                    subject_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The subject */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SubjectDetail"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a subject and all its faces */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                    subject_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deleted"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/subjects/{subject_id}/faces/{face_id}/crop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The aligned 112x112 face crop stored with an enrolled face (for review)
         * @description The face exactly as the embedder saw it, aligned to the ArcFace template (JPEG). 404 `crop_not_found` when the collection keeps no crops (`store_crops: false`) or the face was enrolled before crops were kept. Deleting the face, its subject or the collection deletes the crop.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    face_id: string;
                    name: string;
                    subject_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The crop */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": Blob;
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/{name}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Is the primary face in the image this enrolled subject? (1:1 against its best face)
         * @description 422 `spoof_suspected` when LIVENESS=enforce and the passive liveness check fails.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description Image file: JPEG, PNG, WebP, GIF, TIFF, AVIF…
                         */
                        image: Blob;
                        /** @description Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs */
                        liveness?: boolean;
                        /** @example alice */
                        subject_id: string;
                        /** @description Cosine decision threshold for this request; defaults to the calibrated one */
                        threshold?: number;
                    };
                };
            };
            responses: {
                /** @description Decided */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VerifyResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Refused on its merits (e.g. quality gate) */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/collections/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a collection from an export (JSON Lines)
         * @description The body is what `GET /v1/collections/{name}/export` produced (`Content-Type: application/x-ndjson`). The whole stream is checked before anything is written: a malformed record, an inconsistent one (a face of an undeclared subject, an embedding of the wrong length) or a stream without its `end` line is refused with 400 `invalid_import` / `truncated_import` naming the line, and nothing is created. With the exported embedder the vectors, face ids and the running centroid are kept exactly, so identify answers exactly as the source did; otherwise the crops are re-embedded. The collection appears only once complete.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Re-embed every face's crop with this embedder instead of keeping the exported vectors (needs an export made with crops=true). Default: keep them when this service runs the exported embedder, else re-embed with its own */
                    embedder?: string;
                    /** @description Name of the new collection (default: the exported name) */
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-ndjson": string;
                };
            };
            responses: {
                /** @description Imported */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ImportResponse"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's state, progress and a page of per-item results */
        get: {
            parameters: {
                query?: {
                    /** @description From the previous page's next_cursor */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobPage"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Cancel what has not started; running items finish and keep their results */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job after cancelling */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobSummary"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/enroll": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enroll many images into a collection as one asynchronous job
         * @description Repeated `images` file fields plus a `manifest` mapping each file name to its subject. Returns 202 at once; poll `status_url` (per-file results with `face_id`, or an error code and reasons such as `low_quality`, `no_face`, `multiple_faces`, `subject_conflict`) or pass `webhook_url`. Items are idempotent like single enrollments, and an `Idempotency-Key` header returns the same job for the same body.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /** @description With several faces in an image and none dominant, enroll the most prominent instead of failing the item */
                        allow_multiple?: boolean;
                        /** @example staff */
                        collection: string;
                        /** @description Repeated `images` file fields; each file name is the item's `ref` */
                        images: Blob[];
                        /** @description Run the passive liveness check (single-frame, not certified presentation-attack detection). With LIVENESS=report it runs unless false; with LIVENESS=enforce it always runs */
                        liveness?: boolean;
                        /**
                         * @description JSON object mapping each uploaded file name to its subject_id (or to `{subject_id, metadata, face_index | face_box}`)
                         * @example {"alice-1.jpg":"alice","bob.jpg":{"subject_id":"bob","metadata":{"team":"blue"}}}
                         */
                        manifest: string;
                        /**
                         * @description `allow` enrolls even when a face matches another subject
                         * @default reject
                         * @enum {string}
                         */
                        on_conflict?: "reject" | "allow";
                        /**
                         * Format: uri
                         * @description POSTed a signed event when the job ends
                         */
                        webhook_url?: string;
                    };
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or invalid API key */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description At capacity; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/extract": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Extract features from many images as one asynchronous job
         * @description Returns 202 at once; poll `status_url` or pass `webhook_url`. With an `Idempotency-Key` header, the same key and body return the same job (409 for the same key with another body).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * @description Embed the primary face only, or every face
                         * @default primary
                         * @enum {string}
                         */
                        faces?: "primary" | "all";
                        flip_tta?: boolean;
                        /** @description Repeated `images` file fields; each file name is the item's `ref` */
                        images: Blob[];
                        /**
                         * Format: uri
                         * @description POSTed a signed event when the job ends
                         */
                        webhook_url?: string;
                    };
                };
            };
            responses: {
                /** @description Accepted */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobAccepted"];
                    };
                };
                /** @description Invalid input (not an image, no face, bad vector, missing field, malformed JSON) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Conflict */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unsupported Content-Type */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description At capacity; see Retry-After */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Internal error */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Models not loaded yet or a backing service is down */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Box: {
            height: number;
            width: number;
            x: number;
            y: number;
        };
        Candidate: {
            face_id: string;
            similarity: number;
            subject_id: string;
        };
        Collection: {
            created_at: string;
            decision: components["schemas"]["DecisionRule"];
            dimension: number;
            embedder: string;
            face_count?: number;
            name: string;
            /** @description Whether enrolled faces keep their aligned crop */
            store_crops: boolean;
            subject_count?: number;
            target_far: string | null;
            target_fpir: number | null;
            /** @description Identify's threshold in force now (see decision) */
            threshold: number;
        };
        CollectionList: {
            collections: components["schemas"]["Collection"][];
            /** @enum {boolean} */
            success: true;
        };
        CompareFeaturesRequest: {
            /**
             * @description Feature vector from /api/extract_feature
             * @example [
             *       0.123,
             *       -0.456,
             *       0.789
             *     ]
             */
            feature1: number[];
            /**
             * @description Feature vector from /api/extract_feature
             * @example [
             *       0.123,
             *       -0.456,
             *       0.789
             *     ]
             */
            feature2: number[];
            /** @description Cosine decision threshold for this request; defaults to the calibrated one */
            threshold?: number;
        };
        CompareImageFeatureResponse: components["schemas"]["CompareResponse"] & {
            box: components["schemas"]["Box"];
            face_count: number;
            model: components["schemas"]["Model"];
            quality: components["schemas"]["Quality"];
            quality_passed: boolean;
        };
        CompareResponse: {
            is_same_person: boolean;
            message: string;
            processing_time: number;
            /** @description Raw cosine similarity */
            similarity: number;
            /** @enum {boolean} */
            success: true;
            threshold: number;
        };
        CreateCollectionRequest: {
            /** @example staff */
            name: string;
            /** @description Keep each enrolled face's aligned 112x112 crop (default true): for review (GET …/faces/{id}/crop) and to migrate the collection to another embedder without the original photos. false keeps no image of anyone; a migration then needs the original photos enrolled again */
            store_crops?: boolean;
            /**
             * @description Per-pair false-accept rate verify decides at (default 1e-3)
             * @enum {string}
             */
            target_far?: "1e-2" | "1e-3" | "1e-4";
            /**
             * @description Identify decides at the threshold that keeps this share of never-enrolled people from matching anyone, recomputed as the collection grows (default 0.01)
             * @example 0.01
             */
            target_fpir?: number;
            /** @description A fixed decision threshold for identify and verify instead (similarities are centred cosines) */
            threshold?: number;
        };
        DecisionRule: {
            /** @description Two subjects above the threshold closer than this are `ambiguous` */
            ambiguity_margin: number;
            explanation: string;
            /** @description Share of never-enrolled people who would match someone at this threshold and gallery size */
            fpir: number | null;
            gallery: {
                /** @description Independent comparisons a probe makes: one per one-face subject, more for multi-face templates */
                entries: number;
                faces: number;
                subjects: number;
            };
            /** @description False-accept rate of one comparison at the threshold */
            per_pair_far: number | null;
            /** @enum {string} */
            source: "target_fpir" | "threshold";
            target_fpir: number | null;
            /** @description Identify's threshold in force now */
            threshold: number;
            verify_far: string | null;
            verify_threshold: number;
        };
        Deleted: {
            deleted: boolean;
            /** @enum {boolean} */
            success: true;
        };
        EnrollResponse: {
            box: components["schemas"]["Box"];
            created: boolean;
            /** @description Faces detected in the photo */
            face_count: number;
            face_id: string;
            /** @description Which of the photo's faces was enrolled (0: the primary one) */
            face_index: number;
            liveness?: components["schemas"]["Liveness"];
            quality: components["schemas"]["FaceQuality"];
            subject_id: string;
            /** @enum {boolean} */
            success: true;
        };
        Error: {
            /**
             * @description Stable machine-readable error code
             * @example no_face
             */
            code: string;
            details?: {
                [key: string]: unknown;
            };
            /** @example No face was detected in the image */
            message: string;
            /**
             * @description Seconds spent on the request
             * @example 0.123
             */
            processing_time: number;
            /** @enum {boolean} */
            success: false;
        };
        ExtractFeatureResponse: {
            box: components["schemas"]["Box"];
            detection_score: number;
            face_count: number;
            feature: number[];
            feature_dim: number;
            landmarks: [
                number,
                number
            ][];
            liveness?: components["schemas"]["Liveness"];
            message: string;
            model: components["schemas"]["Model"];
            processing_time: number;
            quality: components["schemas"]["Quality"];
            quality_passed: boolean;
            /** @enum {boolean} */
            success: true;
        };
        Face: {
            box: components["schemas"]["Box"];
            created_at: string;
            face_id: string;
            quality: components["schemas"]["FaceQuality"];
            sha256: string;
        };
        FaceQuality: {
            passed: boolean;
            reasons: string[];
        };
        Health: {
            message: string;
            /** @enum {string} */
            mode: "embedded" | "fleet";
            model: components["schemas"]["Model"];
            /** @enum {string} */
            status: "ok" | "unavailable";
            success: boolean;
            threshold: {
                source: string;
                value: number;
            };
            uptime_s: number;
            version: string;
        };
        IdentifyResponse: {
            faces: {
                box: components["schemas"]["Box"];
                candidates: components["schemas"]["Candidate"][];
                /**
                 * @description `ambiguous`: two subjects clear the threshold within the calibrated margin
                 * @enum {string}
                 */
                decision: "match" | "unknown" | "ambiguous";
                /** @description Five points in image pixels: eyes, nose tip, mouth corners (left, right in the image) */
                landmarks: [
                    number,
                    number
                ][];
                liveness?: components["schemas"]["Liveness"];
                /** @description The top candidate when decision is `match`, else null */
                match: components["schemas"]["Candidate"] | null;
                quality: {
                    metrics: {
                        [key: string]: number;
                    };
                    passed: boolean;
                    reasons: string[];
                };
                top: components["schemas"]["Candidate"] & ({
                    /** @description Per-pair false-accept rate of this similarity */
                    estimated_far: number | null;
                    /** @description Chance that someone not enrolled scores this high against some subject of this gallery */
                    estimated_fpir: number | null;
                    /** @description Similarity above the best other subject */
                    margin: number | null;
                } | null);
            }[];
            gallery_entries: number;
            processing_time: number;
            /** @enum {boolean} */
            success: true;
            target_fpir: number | null;
            /** @description The threshold these decisions were made at */
            threshold: number;
        };
        ImportResponse: components["schemas"]["Collection"] & {
            /**
             * @description `renewed` when another collection of this service already holds the exported face ids
             * @enum {string}
             */
            face_ids: "kept" | "renewed";
            imported: {
                faces: number;
                subjects: number;
            };
            notes: string[];
            /** @description Vectors were made anew from the crops with `embedder` */
            reembedded: boolean;
            /** @enum {boolean} */
            success: true;
        };
        JobAccepted: {
            created: boolean;
            job_id: string;
            state: string;
            status_url: string;
            /** @enum {boolean} */
            success: true;
        };
        JobPage: components["schemas"]["JobSummary"] & {
            items: {
                error?: {
                    code: string;
                    details?: {
                        [key: string]: unknown;
                    };
                    message: string;
                };
                ref: string;
                result?: {
                    [key: string]: unknown;
                };
                /** @enum {string} */
                status: "succeeded" | "failed" | "pending" | "cancelled";
            }[];
            next_cursor: string | null;
        };
        JobSummary: {
            created_at: string;
            finished_at: string | null;
            id: string;
            progress: {
                cancelled: number;
                failed: number;
                succeeded: number;
                total: number;
            };
            /** @description X-Request-Id of the request that created the job; its log lines carry the same id */
            request_id: string | null;
            /** @enum {string} */
            state: "queued" | "running" | "completed" | "failed" | "cancelled";
            /** @enum {boolean} */
            success: true;
            type: string;
            webhook: {
                attempts: {
                    at: string;
                    error?: string;
                    status?: number;
                }[];
                delivered: boolean;
                url: string;
            } | null;
        };
        LegacyIdentifyResponse: {
            /** @enum {string} */
            decision: "match" | "unknown" | "ambiguous";
            estimated_fpir: number | null;
            margin: number | null;
            message: string;
            processing_time: number;
            similarity: number | null;
            /** @enum {boolean} */
            success: true;
            threshold: number;
            user_id: string | null;
        };
        Liveness: {
            model: string;
            /** @description score at or above the liveness threshold */
            passed: boolean;
            /** @description Probability that the image shows a live face rather than a print or a screen (0..1) */
            score: number;
        };
        Migration: {
            auto_commit: boolean;
            collection: string;
            created_at: string;
            error: string | null;
            finished_at: string | null;
            from: {
                dimension: number;
                embedder: string;
            };
            id: string;
            /** @description The re-embedding job (GET /v1/jobs/{id}: progress; DELETE /v1/jobs/{id} cancels) */
            job_id: string | null;
            report: components["schemas"]["MigrationReport"];
            /** @enum {string} */
            state: "running" | "ready" | "committing" | "committed" | "rolled_back" | "cancelled" | "failed";
            to: {
                dimension: number;
                embedder: string;
            };
        };
        MigrationList: {
            migrations: components["schemas"]["Migration"][];
            /** @enum {boolean} */
            success: true;
        };
        MigrationReport: {
            faces: number;
            faces_per_second: number;
            failed: number;
            failures: {
                code: string;
                face_id: string;
                message: string;
                subject_id: string | null;
            }[];
            migrated: number;
            seconds: number;
            /** @description Each face of a subject with several faces against the template of its other faces, centred, at the new model's calibrated verify threshold (`far`); `before` is the same check in the current space */
            self_consistency: {
                before: {
                    consistent: number;
                    rate: number | null;
                    threshold: number;
                } | null;
                consistent: number;
                faces: number;
                far: string;
                inconsistent: {
                    face_id: string;
                    similarity: number;
                    subject_id: string;
                }[];
                rate: number | null;
                subjects: number;
                threshold: number;
            };
        } | null;
        MigrationResponse: {
            job: {
                created_at: string;
                finished_at: string | null;
                id: string;
                progress: {
                    cancelled: number;
                    failed: number;
                    succeeded: number;
                    total: number;
                };
                /** @description X-Request-Id of the request that created the job; its log lines carry the same id */
                request_id: string | null;
                /** @enum {string} */
                state: "queued" | "running" | "completed" | "failed" | "cancelled";
                type: string;
                webhook: {
                    attempts: {
                        at: string;
                        error?: string;
                        status?: number;
                    }[];
                    delivered: boolean;
                    url: string;
                } | null;
            } | null;
            migration: components["schemas"]["Migration"];
            /** @enum {boolean} */
            success: true;
        };
        Model: {
            detector: string;
            dimension: number;
            embedder: string;
        };
        Quality: {
            metrics: {
                [key: string]: number;
            };
            passed: boolean;
            /**
             * @description too_small, low_score, blurry, too_dark, too_bright, low_contrast, extreme_pose, multiple_faces
             * @example []
             */
            reasons: string[];
        };
        SearchRequest: {
            /** @default 5 */
            top_k: number;
            vector: number[];
        };
        SearchResponse: {
            hits: components["schemas"]["Candidate"][];
            processing_time: number;
            /** @enum {boolean} */
            success: true;
        };
        Subject: {
            created_at: string;
            face_count: number;
            metadata: {
                [key: string]: unknown;
            } | null;
            subject_id: string;
        };
        SubjectDetail: components["schemas"]["Subject"] & {
            faces: components["schemas"]["Face"][];
            /** @enum {boolean} */
            success: true;
        };
        SubjectPage: {
            next_cursor: string | null;
            subjects: components["schemas"]["Subject"][];
            /** @enum {boolean} */
            success: true;
        };
        VerifyResponse: {
            face_id: string;
            is_same_person: boolean;
            liveness?: components["schemas"]["Liveness"];
            processing_time: number;
            similarity: number;
            subject_id: string;
            /** @enum {boolean} */
            success: true;
            threshold: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
