import { ConflictError, NoFaceError, NotFoundError, UnprocessableError, VectorError } from '@facerec/errors';
import type { Extraction, ExtractedFace } from '@facerec/face';
import type { SearchHit, VectorIndex } from '@facerec/vector-index';
import type { Catalog, CollectionRow, FaceRow, SubjectRow } from './catalog.ts';
import { faceIdFor, newCollectionId } from './ids.ts';
import { decodeCursor, encodeCursor } from './subject-cursor.ts';

export type TargetFar = '1e-2' | '1e-3' | '1e-4';

export interface CollectionServiceOptions {
  catalog: Catalog;
  index: VectorIndex;
  /** The service's configured embedder: pinned on every collection created now. */
  embedder: { id: string; dimension: number };
  /** The default decision threshold, and the calibrated ones per target false-accept rate. */
  thresholds: { default: number; byFar: Partial<Record<TargetFar, number>> };
}

export interface Candidate {
  subject_id: string;
  face_id: string;
  similarity: number;
}

const round = (v: number) => Number(v.toFixed(6));

/**
 * Collections, enrollment and 1:N identification over the catalog (what is acknowledged) and the vector
 * index (what is searchable). Write order, so that a crash at any point loses no acknowledged enrollment
 * and leaves nothing a retry cannot fix:
 * - enroll: vector upsert (durable), then the catalog row, then the answer. A vector without a row is not
 *   acknowledged: searches ignore it and the retry (same derived id) overwrites it and adds the row.
 * - delete: vectors first, then the row, so a retried DELETE still finds what to finish.
 */
export class CollectionService {
  private readonly catalog: Catalog;
  private readonly index: VectorIndex;
  private readonly opts: CollectionServiceOptions;

  constructor(opts: CollectionServiceOptions) {
    this.catalog = opts.catalog;
    this.index = opts.index;
    this.opts = opts;
  }

  get indexKind(): 'embedded' | 'qdrant' {
    return this.index.kind;
  }

  async create(tenant: string, req: { name: string; threshold?: number | undefined; targetFar?: TargetFar | undefined }): Promise<CollectionRow> {
    let threshold = req.threshold ?? this.opts.thresholds.default;
    if (req.targetFar !== undefined) {
      const calibrated = this.opts.thresholds.byFar[req.targetFar];
      if (calibrated === undefined) {
        throw new UnprocessableError(`The embedder '${this.opts.embedder.id}' has no calibrated threshold for FAR ${req.targetFar}`, 'uncalibrated_far');
      }
      threshold = calibrated;
    }
    if (await this.catalog.getCollection(tenant, req.name)) throw this.exists(req.name);
    const row: CollectionRow = {
      id: newCollectionId(),
      tenant,
      name: req.name,
      embedder: this.opts.embedder.id,
      dimension: this.opts.embedder.dimension,
      threshold,
      targetFar: req.targetFar ?? null,
      createdAt: new Date().toISOString(),
    };
    // Index first: a crash before the catalog row leaves an empty, unnamed index collection and no answer.
    await this.index.createCollection(row.id, { dimension: row.dimension });
    if (!(await this.catalog.createCollection(row))) {
      await this.index.dropCollection(row.id);
      throw this.exists(req.name);
    }
    return row;
  }

  private exists(name: string) {
    return new ConflictError(`A collection named '${name}' already exists`, 'collection_exists', { name });
  }

  list(tenant: string): Promise<CollectionRow[]> {
    return this.catalog.listCollections(tenant);
  }

  /** Another tenant's collection is reported exactly like a missing one, so names do not leak. */
  async require(tenant: string, name: string): Promise<CollectionRow> {
    const row = await this.catalog.getCollection(tenant, name);
    if (!row) throw new NotFoundError(`Collection '${name}' does not exist`, 'collection_not_found');
    return row;
  }

  /**
   * For work accepted earlier (a batch enrollment): the collection it was accepted for, by internal id, so
   * one dropped and re-created under the same name in between is not written to.
   */
  async requireById(tenant: string, id: string): Promise<CollectionRow> {
    const row = await this.catalog.getCollectionById(id);
    if (!row || row.tenant !== tenant) throw new NotFoundError('The collection this job was submitted for no longer exists', 'collection_not_found');
    return row;
  }

  /** Refuses work for a collection whose embeddings this service can no longer produce, before accepting it. */
  assertEmbedder(col: CollectionRow): void {
    if (col.embedder !== this.opts.embedder.id || col.dimension !== this.opts.embedder.dimension) {
      throw this.embedderMismatch(col, this.opts.embedder.id);
    }
  }

  async counts(col: CollectionRow) {
    const [subjects, faces] = await Promise.all([this.catalog.countSubjects(col.id), this.catalog.countFaces(col.id)]);
    return { subject_count: subjects, face_count: faces };
  }

  async drop(tenant: string, name: string): Promise<void> {
    const col = await this.require(tenant, name);
    await this.index.dropCollection(col.id);
    await this.catalog.deleteCollection(col.id);
  }

  /** Embeddings of another model live in another space: comparing them would be meaningless, not just weak. */
  private checkEmbedder(col: CollectionRow, extraction: Extraction): void {
    if (extraction.model.embedder !== col.embedder || extraction.model.dimension !== col.dimension) {
      throw this.embedderMismatch(col, extraction.model.embedder);
    }
  }

  private embedderMismatch(col: CollectionRow, serviceEmbedder: string): ConflictError {
    return new ConflictError(
      `Collection '${col.name}' holds ${col.embedder} embeddings (${col.dimension}-d); this service now embeds with ${serviceEmbedder}`,
      'embedder_mismatch',
      { collection_embedder: col.embedder, service_embedder: serviceEmbedder },
    );
  }

  async enroll(
    col: CollectionRow,
    extraction: Extraction,
    req: { subjectId: string; imageSha256: string; metadata?: Record<string, unknown> | undefined; allowMultiple: boolean; allowConflict: boolean },
  ): Promise<{ face: FaceRow; created: boolean }> {
    this.checkEmbedder(col, extraction);
    const face = extraction.faces[0];
    if (!face) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    if (extraction.face_count > 1 && !req.allowMultiple) {
      throw new UnprocessableError(
        `The image holds ${extraction.face_count} faces; enroll one face per image, or pass allow_multiple=true to take the largest`,
        'multiple_faces',
        { face_count: extraction.face_count, reasons: ['multiple_faces'] },
      );
    }
    const reasons = face.quality.reasons.filter((r) => r !== 'multiple_faces');
    if (!face.quality.passed) {
      throw new UnprocessableError(`The face fails the enrollment quality gate: ${reasons.join(', ')}`, 'low_quality', { reasons });
    }

    const faceId = faceIdFor(col.id, req.subjectId, req.imageSha256);
    const vector = Float32Array.from(face.feature);
    const record = { id: faceId, vector, payload: { subject_id: req.subjectId, face_id: faceId } };
    const existing = await this.catalog.getFace(col.id, faceId);
    if (existing) {
      // The row is only written after the vector, but a restored or copied index could lag: repair it.
      if ((await this.index.get(col.id, [faceId])).length === 0) await this.index.upsert(col.id, [record]);
      return { face: existing, created: false };
    }

    if (!req.allowConflict) {
      // Only the best match counts: a face whose own subject matches best is not a duplicate identity just
      // because, in a large gallery, some other subject also clears a per-pair threshold (measured: with
      // ~2,000 faces that flagged a quarter of legitimate enrollments).
      const [best] = await this.acknowledged(col, await this.index.search(col.id, vector, { topK: 5, bestPerSubject: true }));
      const clash = best && best.payload.subject_id !== req.subjectId && best.score >= col.threshold ? best : undefined;
      if (clash) {
        throw new ConflictError(
          `This face matches subject '${clash.payload.subject_id}' (similarity ${round(clash.score)} >= ${col.threshold}); pass on_conflict=allow to enroll it anyway`,
          'subject_conflict',
          { subject_id: clash.payload.subject_id, face_id: clash.id, similarity: round(clash.score), threshold: col.threshold },
        );
      }
    }

    await this.index.upsert(col.id, [record]);
    const stored = await this.catalog.addFace(
      {
        id: faceId,
        collectionId: col.id,
        subjectId: req.subjectId,
        sha256: req.imageSha256,
        quality: { passed: face.quality.passed, reasons: face.quality.reasons },
        box: face.box,
        createdAt: new Date().toISOString(),
      },
      req.metadata,
    );
    return { face: stored, created: true };
  }

  /** Drops hits whose enrollment was never acknowledged (vector written, crash before the catalog row). */
  private async acknowledged(col: CollectionRow, hits: SearchHit[]): Promise<SearchHit[]> {
    const known = await this.catalog.knownFaceIds(col.id, hits.map((h) => h.id));
    return hits.filter((h) => known.has(h.id));
  }

  private toCandidates(hits: SearchHit[]): Candidate[] {
    return hits.map((h) => ({ subject_id: h.payload.subject_id, face_id: h.id, similarity: round(h.score) }));
  }

  /** Best candidate per subject for every face in the image; `match` only when it clears the threshold. */
  async identify(col: CollectionRow, extraction: Extraction, req: { topK: number; threshold?: number | undefined }) {
    this.checkEmbedder(col, extraction);
    if (extraction.faces.length === 0) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    const threshold = req.threshold ?? col.threshold;
    const faces = [];
    for (const face of extraction.faces) faces.push({ ...(await this.identifyFace(col, face, req.topK, threshold)), box: face.box, quality: face.quality });
    return { threshold, faces };
  }

  private async identifyFace(col: CollectionRow, face: ExtractedFace, topK: number, threshold: number) {
    const hits = await this.index.search(col.id, Float32Array.from(face.feature), { topK, bestPerSubject: true });
    const candidates = this.toCandidates(await this.acknowledged(col, hits));
    const top = candidates[0];
    return { candidates, match: top && top.similarity >= threshold ? top : null };
  }

  /** Raw-vector search over faces (not grouped by subject). */
  async search(col: CollectionRow, vector: unknown, topK: number): Promise<Candidate[]> {
    if (!Array.isArray(vector) || vector.length !== col.dimension) {
      const length = Array.isArray(vector) ? vector.length : 0;
      throw new VectorError(`vector must hold ${col.dimension} numbers (collection '${col.name}' is ${col.embedder}); got ${length}`, 'dimension_mismatch', {
        expected: col.dimension,
        received: length,
      });
    }
    if (!vector.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new VectorError('vector must hold only finite numbers', 'invalid_vector');
    const hits = await this.index.search(col.id, Float32Array.from(vector as number[]), { topK });
    return this.toCandidates(await this.acknowledged(col, hits));
  }

  async requireSubject(col: CollectionRow, subjectId: string): Promise<SubjectRow> {
    const subject = await this.catalog.getSubject(col.id, subjectId);
    if (!subject) throw new NotFoundError(`Subject '${subjectId}' is not enrolled in collection '${col.name}'`, 'subject_not_found');
    return subject;
  }

  /** 1:1 against an enrolled subject: the best of its faces decides. */
  async verify(col: CollectionRow, subjectId: string, extraction: Extraction, requested?: number) {
    this.checkEmbedder(col, extraction);
    await this.requireSubject(col, subjectId);
    const face = extraction.faces[0];
    if (!face) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    const hits = await this.acknowledged(col, await this.index.search(col.id, Float32Array.from(face.feature), { topK: 1, subjectId }));
    const best = hits[0];
    if (!best) throw new NotFoundError(`Subject '${subjectId}' has no enrolled faces`, 'subject_not_found');
    const threshold = requested ?? col.threshold;
    return { similarity: round(best.score), threshold, is_same_person: best.score >= threshold, face_id: best.id, box: face.box, quality: face.quality };
  }

  async listSubjects(col: CollectionRow, req: { cursor?: string | undefined; limit: number }) {
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor);
    // One extra row tells whether another page exists without a second query.
    const rows = await this.catalog.listSubjects(col.id, { after, limit: req.limit + 1 });
    const page = rows.slice(0, req.limit);
    const last = page[page.length - 1];
    return { subjects: page, nextCursor: rows.length > req.limit && last ? encodeCursor(last.subjectId) : null };
  }

  async getSubject(col: CollectionRow, subjectId: string): Promise<{ subject: SubjectRow; faces: FaceRow[] }> {
    const subject = await this.requireSubject(col, subjectId);
    return { subject, faces: await this.catalog.listFaces(col.id, subjectId) };
  }

  async deleteSubject(col: CollectionRow, subjectId: string): Promise<number> {
    await this.requireSubject(col, subjectId);
    const removed = await this.index.deleteBySubject(col.id, subjectId);
    await this.catalog.deleteSubject(col.id, subjectId);
    return removed;
  }

  async deleteFace(col: CollectionRow, faceId: string): Promise<void> {
    if (!(await this.catalog.getFace(col.id, faceId))) throw new NotFoundError(`Face '${faceId}' is not in collection '${col.name}'`, 'face_not_found');
    await this.index.delete(col.id, [faceId]);
    await this.catalog.deleteFace(col.id, faceId);
  }

  async close(): Promise<void> {
    await this.index.close();
    await this.catalog.close();
  }
}
