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
         * @description 201 for a new face; 200 with the existing face for the same image bytes and subject (safe to retry). With several faces the dominant one is enrolled (the photo's subject, much more prominent than bystanders); when none dominates, 422 `multiple_faces` lists every face (`details.faces`: index and box) and the client sends `face_index` or `face_box`. 422 `low_quality` when the face fails the quality gate; 409 `subject_conflict` when identify would name another subject for it at the collection's current threshold (unless `on_conflict=allow`).
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
    "/v1/collections/{name}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Is the primary face in the image this enrolled subject? (1:1 against its best face) */
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
