import { ConflictError, ValidationError } from '@facerec/errors';
import type { VectorIndex, VectorRecord } from '@facerec/vector-index';
import { type Catalog, type Centroid, type CollectionRow, type CollectionService, cropMediaType, DEFAULT_TARGET_FPIR, faceIdFor, type FaceRow, HIDDEN_NAME_PREFIX, type ImportedSubject, newCollectionId } from '@facerec/collections';
import type { FaceExtractor } from '../face-extractor.ts';
import { readLines } from './read-lines.ts';
import { type EndLine, type FaceLine, type HeaderLine, transferLine } from './transfer-format.ts';

/** Longest line accepted: a 4096-d embedding and a large crop fit many times over. */
const MAX_LINE_BYTES = 1 << 20;
/** Vectors per index upsert and subjects per catalog write while loading. */
const WRITE_CHUNK = 500;
/** Crops re-embedded at once (each is one `embed` job on the face workers). */
const EMBED_CONCURRENCY = 8;

export interface ImportDeps {
  catalog: Catalog;
  index: VectorIndex;
  collections: CollectionService;
  extractor: FaceExtractor;
}

export interface ImportRequest {
  tenant: string;
  /** The new collection's name; the exported one when absent. */
  name?: string | undefined;
  /** Re-embed the stored crops with this embedder instead of keeping the exported vectors. */
  embedder?: string | undefined;
  body: AsyncIterable<Uint8Array>;
}

export interface ImportResult {
  collection: CollectionRow;
  subjects: number;
  faces: number;
  /** Whether the vectors were made anew from the crops (another embedder) or kept as exported. */
  reembedded: boolean;
  /** `renewed` when this catalog already holds the exported face ids in another collection (see below). */
  faceIds: 'kept' | 'renewed';
  notes: string[];
}

interface ParsedFace {
  line: number;
  face: FaceLine;
  crop: Buffer | undefined;
}

interface Parsed {
  header: HeaderLine;
  subjects: ImportedSubject[];
  faces: ParsedFace[];
  end: EndLine;
}

const bad = (line: number, reason: string) => new ValidationError(`line ${line}: ${reason}`, 'invalid_import', { line });

/**
 * Reads and checks the whole stream before writing anything: a malformed, inconsistent or truncated stream
 * is refused naming its line, and nothing is created.
 */
async function parse(body: AsyncIterable<Uint8Array>): Promise<Parsed> {
  let header: HeaderLine | undefined;
  let end: EndLine | undefined;
  let last = 0;
  const subjects = new Map<string, ImportedSubject>();
  const faces: ParsedFace[] = [];
  const faceIds = new Set<string>();
  for await (const { line, text } of readLines(body, MAX_LINE_BYTES)) {
    last = line;
    if (end) throw bad(line, 'a record after the end record');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw bad(line, 'not a JSON object');
    }
    const parsed = transferLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw bad(line, `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    const rec = parsed.data;
    if (!header) {
      if (rec.type !== 'header') throw bad(line, 'the first record must be the header');
      header = rec;
      continue;
    }
    if (rec.type === 'header') throw bad(line, 'a second header');
    if (rec.type === 'subject') {
      if (subjects.has(rec.subject_id)) throw bad(line, `subject '${rec.subject_id}' appears twice`);
      subjects.set(rec.subject_id, { subjectId: rec.subject_id, metadata: rec.metadata, createdAt: rec.created_at });
    } else if (rec.type === 'face') {
      if (!subjects.has(rec.subject_id)) throw bad(line, `face ${rec.face_id} names subject '${rec.subject_id}', which no earlier line declared`);
      if (faceIds.has(rec.face_id)) throw bad(line, `face ${rec.face_id} appears twice`);
      if (rec.model !== header.collection.embedder) throw bad(line, `embedding of model ${rec.model} in a ${header.collection.embedder} collection`);
      if (rec.embedding.length !== header.collection.dimension) throw bad(line, `embedding has ${rec.embedding.length} values, the collection ${header.collection.dimension}`);
      const crop = rec.crop ? Buffer.from(rec.crop, 'base64') : undefined;
      if (crop && cropMediaType(crop) === 'application/octet-stream') throw bad(line, 'crop is not a JPEG, PNG or WebP image');
      faceIds.add(rec.face_id);
      faces.push({ line, face: rec, crop });
    } else {
      if (rec.subjects !== subjects.size || rec.faces !== faces.length) {
        throw bad(line, `the end record counts ${rec.subjects} subjects and ${rec.faces} faces; the stream held ${subjects.size} and ${faces.length}`);
      }
      if (rec.centroid && rec.centroid.sum.length !== header.collection.dimension) throw bad(line, `centroid has ${rec.centroid.sum.length} values, the collection ${header.collection.dimension}`);
      end = rec;
    }
  }
  if (!header) throw new ValidationError('The import stream is empty', 'invalid_import', { line: 0 });
  if (!end) throw new ValidationError(`line ${last}: the stream ends without its end record (truncated?); nothing was imported`, 'truncated_import', { line: last });
  return { header, subjects: [...subjects.values()], faces, end };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * A stream from `exportCollection` into a new collection of `tenant`. With the exported embedder (one this
 * service runs and has calibrated) the vectors, face ids and the running centroid sum are kept exactly, so
 * the new collection answers identify exactly as the source did. Otherwise (or when `embedder` asks) every
 * face's stored crop is re-embedded with the target model, and the sum is made from the new vectors.
 *
 * The collection is written under a hidden name and renamed into view once complete, so no client sees it
 * half-loaded; a failure on the way drops what was written.
 */
export async function importCollection(deps: ImportDeps, req: ImportRequest): Promise<ImportResult> {
  const { header, subjects, faces, end } = await parse(req.body);
  const source = header.collection;
  const name = req.name ?? source.name;
  if (await deps.catalog.getCollection(req.tenant, name)) throw new ConflictError(`A collection named '${name}' already exists`, 'collection_exists', { name });

  const servable = deps.collections.servableEmbedders();
  const target = req.embedder ?? (servable.get(source.embedder) === source.dimension ? source.embedder : deps.collections.defaultEmbedder);
  const dimension = servable.get(target);
  if (dimension === undefined) {
    throw new ConflictError(`This service cannot embed with '${target}' (not a calibrated embedder of its manifest)`, 'embedder_unavailable', { embedder: target });
  }
  const reembed = target !== source.embedder || dimension !== source.dimension;
  const notes: string[] = [];
  let vectors: Float32Array[];
  if (reembed) {
    const missing = faces.find((f) => !f.crop);
    if (missing) {
      throw new ConflictError(
        `The export holds ${source.embedder} embeddings and line ${missing.line} has no crop, so they cannot be re-embedded with ${target}; export with crops=true, or import on a service that runs ${source.embedder}`,
        'crops_required',
        { line: missing.line, source_embedder: source.embedder, embedder: target },
      );
    }
    // Before anything is written: a crop the workers cannot read names its line and creates nothing.
    vectors = await mapLimit(faces, EMBED_CONCURRENCY, async (f) => {
      try {
        const r = await deps.extractor.embedCrop(f.crop!, { embedder: target, admitted: true });
        return Float32Array.from(r.feature);
      } catch (err) {
        if ((err as { code?: string }).code === 'invalid_crop') throw bad(f.line, `crop: ${(err as Error).message}`);
        throw err;
      }
    });
    if (source.threshold !== null) notes.push(`the fixed threshold ${source.threshold} belonged to ${source.embedder}; the collection decides by target FPIR with ${target}`);
  } else vectors = faces.map((f) => Float32Array.from(f.face.embedding));

  const id = newCollectionId();
  const taken = await deps.catalog.faceIdsTaken(faces.map((f) => f.face.face_id));
  const renew = taken.size > 0;
  if (renew) notes.push('another collection of this service holds the exported face ids (the source is still here): the faces got new ids');
  const faceIdOf = renewedIds(id, faces, renew);

  const row = {
    id,
    tenant: req.tenant,
    name: `${HIDDEN_NAME_PREFIX}import-${id}`,
    embedder: target,
    dimension,
    threshold: reembed ? null : source.threshold,
    targetFpir: reembed && source.threshold !== null ? (source.target_fpir ?? DEFAULT_TARGET_FPIR) : source.target_fpir,
    targetFar: reembed && source.threshold !== null ? null : source.target_far,
    createdAt: new Date().toISOString(),
    storeCrops: source.store_crops,
    generation: 0,
    faceIdSeed: renew ? null : source.face_id_seed,
    fence: null,
  } satisfies CollectionRow;

  await deps.index.createCollection(id, { dimension });
  let created = false;
  try {
    created = await deps.catalog.createCollection(row);
    const records: VectorRecord[] = faces.map((f, i) => ({ id: faceIdOf[i]!, vector: vectors[i]!, payload: { subject_id: f.face.subject_id, face_id: faceIdOf[i]! } }));
    for (let i = 0; i < records.length; i += WRITE_CHUNK) await deps.index.upsert(id, records.slice(i, i + WRITE_CHUNK));

    const bySubject = new Map<string, number[]>();
    faces.forEach((f, i) => bySubject.set(f.face.subject_id, [...(bySubject.get(f.face.subject_id) ?? []), i]));
    for (let s = 0; s < subjects.length; s += WRITE_CHUNK) {
      const chunk = subjects.slice(s, s + WRITE_CHUNK);
      const rows = chunk.flatMap((subject) =>
        (bySubject.get(subject.subjectId) ?? []).map((i) => {
          const f = faces[i]!.face;
          const face: FaceRow = { id: faceIdOf[i]!, collectionId: id, subjectId: f.subject_id, sha256: f.sha256, quality: f.quality, box: f.box, createdAt: f.created_at };
          return { face, crop: source.store_crops ? faces[i]!.crop : undefined };
        }),
      );
      await deps.catalog.importRows(id, { subjects: chunk, faces: rows });
    }
    await deps.catalog.setCentroid(id, reembed ? sumOf(vectors, dimension) : end.centroid && { count: end.centroid.count, sum: Float64Array.from(end.centroid.sum) });
    if (!(await deps.catalog.renameCollection(id, name))) throw new ConflictError(`A collection named '${name}' already exists`, 'collection_exists', { name });
  } catch (err) {
    await deps.index.dropCollection(id).catch(() => undefined);
    if (created) await deps.catalog.deleteCollection(id).catch(() => undefined);
    throw err;
  }
  const collection = (await deps.catalog.getCollectionById(id))!;
  return { collection, subjects: subjects.length, faces: faces.length, reembedded: reembed, faceIds: renew ? 'renewed' : 'kept', notes };
}

function sumOf(vectors: readonly Float32Array[], dimension: number): Centroid | null {
  if (vectors.length === 0) return null;
  const sum = new Float64Array(dimension);
  for (const v of vectors) for (let i = 0; i < dimension; i++) sum[i]! += v[i]!;
  return { sum, count: vectors.length };
}

/**
 * The exported ids, or new ones derived the way enrollment derives them in the new collection (from the
 * subject and the image's sha256; a second face of one image gets `#n`), so retried enrollments still land
 * on the same face.
 */
function renewedIds(collectionId: string, faces: readonly ParsedFace[], renew: boolean): string[] {
  if (!renew) return faces.map((f) => f.face.face_id);
  const seen = new Map<string, number>();
  return faces.map((f) => {
    const key = `${f.face.subject_id}\0${f.face.sha256}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return faceIdFor(collectionId, f.face.subject_id, n === 0 ? f.face.sha256 : `${f.face.sha256}#${n}`);
  });
}
