import { scoreRates, type OpenSetCalibration } from '@facerec/calibration';
import { ConflictError, NoFaceError, NotFoundError, UnprocessableError, VectorError } from '@facerec/errors';
import type { Extraction, ExtractedFace } from '@facerec/face';
import type { SearchHit, VectorIndex } from '@facerec/vector-index';
import { type Catalog, type Centroid, type CollectionRow, type FaceRow, indexName, type SubjectRow } from './catalog.ts';
import { decideFace, decisionRule, type DecisionRule, type FaceDecision, type ScoredSubject } from './decision-policy.ts';
import { faceIdFor, newCollectionId } from './ids.ts';
import { renamedIndex } from './renamed-index.ts';
import { SubjectScorer } from './subject-scorer.ts';
import { decodeCursor, encodeCursor } from './subject-cursor.ts';

export type TargetFar = '1e-2' | '1e-3' | '1e-4';

export interface CollectionServiceOptions {
  catalog: Catalog;
  index: VectorIndex;
  /** The service's configured embedder: pinned on every collection created now. */
  embedder: { id: string; dimension: number };
  /** Its open-set calibration (from the model manifest): how identify and verify turn scores into decisions. */
  calibration: OpenSetCalibration;
  /**
   * Every other embedder the service can serve collections of (manifest embedders with an open-set
   * calibration): a collection pinned to, or migrated to, one of them is embedded and decided with its own.
   */
  others?: ReadonlyArray<{ id: string; dimension: number; calibration: OpenSetCalibration }>;
}

/** How long a collection's counts and centroid are reused by reads; this process's own writes refresh them at once. */
const CONTEXT_TTL_MS = 2_000;

interface CollectionContext {
  rule: DecisionRule;
  mu: Float32Array;
  at: number;
  generation: number;
}

export interface Candidate {
  subject_id: string;
  face_id: string;
  similarity: number;
}

const round = (v: number) => Number(v.toFixed(6));
/** Rates span many orders of magnitude: three significant digits. */
const sig = (v: number) => Number(v.toPrecision(3));
const roundCandidate = (c: ScoredSubject): Candidate => ({ subject_id: c.subject_id, face_id: c.face_id, similarity: round(c.similarity) });

function sumOf(vectors: readonly Float32Array[], dimension: number): Centroid {
  const sum = new Float64Array(dimension);
  for (const v of vectors) for (let i = 0; i < dimension; i++) sum[i]! += v[i]!;
  return { sum, count: vectors.length };
}

export type { FaceDecision };

/**
 * Face writes that must also reach a migration's shadow space (the gateway's services/migrations): set by the migration
 * service, so enrollments and deletes during a migration land in both the current and the next embedder's
 * index. Both run after the current index was written and before the catalog row changes.
 */
export interface ShadowWrites {
  enrolled(col: CollectionRow, face: { id: string; subjectId: string; crop: Uint8Array | undefined }): Promise<void>;
  deleted(col: CollectionRow, target: { faceIds: string[] } | { subjectId: string }): Promise<void>;
}

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
  private readonly scorer: SubjectScorer;
  private readonly contexts = new Map<string, CollectionContext>();
  private readonly embedders = new Map<string, { dimension: number; calibration: OpenSetCalibration }>();
  private shadow: ShadowWrites | undefined;

  constructor(opts: CollectionServiceOptions) {
    this.catalog = opts.catalog;
    this.index = opts.index;
    this.opts = opts;
    this.scorer = new SubjectScorer(opts.index, opts.catalog);
    for (const e of opts.others ?? []) this.embedders.set(e.id, { dimension: e.dimension, calibration: e.calibration });
    this.embedders.set(opts.embedder.id, { dimension: opts.embedder.dimension, calibration: opts.calibration });
  }

  /** The calibration decisions on this collection's scores follow: its own embedder's. */
  calibrationOf(col: Pick<CollectionRow, 'embedder' | 'dimension'>): OpenSetCalibration | null {
    const e = this.embedders.get(col.embedder);
    return e && e.dimension === col.dimension ? e.calibration : null;
  }

  setShadowWrites(shadow: ShadowWrites): void {
    this.shadow = shadow;
  }

  /** Forgets what this process cached about a collection (its switch to another embedder was just committed). */
  invalidate(collectionId: string): void {
    this.contexts.delete(collectionId);
  }

  /** The embedder new collections are pinned to. */
  get defaultEmbedder(): string {
    return this.opts.embedder.id;
  }

  /** Embedders this service can embed and decide with (id → dimension). */
  servableEmbedders(): Map<string, number> {
    return new Map([...this.embedders].map(([id, e]) => [id, e.dimension]));
  }

  /** What every extraction for this collection asks the workers for: its own embedder, and its crop when kept. */
  extractOptions(col: CollectionRow): { embedder: string; crops: boolean } {
    return { embedder: col.embedder, crops: col.storeCrops };
  }

  /**
   * The scorer over the collection's current vector space. SubjectScorer names index collections by the
   * catalog id; after a migration the vectors live in another index collection, so it gets a view of the
   * index that maps one to the other.
   */
  private scorerFor(col: CollectionRow): SubjectScorer {
    const name = indexName(col);
    return name === col.id ? this.scorer : new SubjectScorer(renamedIndex(this.index, col.id, name), this.catalog);
  }

  /** The collection's current decision rule and centring vector (cached briefly; see CONTEXT_TTL_MS). */
  private async context(col: CollectionRow): Promise<CollectionContext> {
    const cached = this.contexts.get(col.id);
    // A switch to another embedder changes the space the centroid lives in: never reuse one across it.
    if (cached && cached.generation === col.generation && Date.now() - cached.at < CONTEXT_TTL_MS) return cached;
    const [subjects, faces, centroid] = await Promise.all([this.catalog.countSubjects(col.id), this.catalog.countFaces(col.id), this.catalog.getCentroid(col.id)]);
    const cal = this.calibrationOf(col);
    const ctx = {
      rule: decisionRule(col, cal, { subjects, faces }),
      mu: SubjectScorer.mean(centroid, col.dimension, (cal ?? this.opts.calibration).centroid_prior_faces),
      at: Date.now(),
      generation: col.generation,
    };
    this.contexts.set(col.id, ctx);
    return ctx;
  }

  /** The collection's rule, or the one a request asks for instead (its own threshold or target FPIR). */
  private ruleFor(col: CollectionRow, rule: DecisionRule, req: { threshold?: number | undefined; targetFpir?: number | undefined }): DecisionRule {
    if (req.threshold === undefined && req.targetFpir === undefined) return rule;
    const cal = this.calibrationOf(col);
    const asked = { ...col, threshold: req.threshold ?? null, targetFpir: req.targetFpir ?? null };
    return decisionRule(asked, cal, { subjects: rule.subjects, faces: rule.faces });
  }

  /** The decision rule in force, for the collection's view. */
  async decision(col: CollectionRow): Promise<DecisionRule> {
    return (await this.context(col)).rule;
  }

  get indexKind(): 'embedded' | 'qdrant' {
    return this.index.kind;
  }

  async create(
    tenant: string,
    req: { name: string; threshold?: number | undefined; targetFpir?: number | undefined; targetFar?: TargetFar | undefined; storeCrops?: boolean | undefined },
  ): Promise<CollectionRow> {
    if (await this.catalog.getCollection(tenant, req.name)) throw this.exists(req.name);
    const row: CollectionRow = {
      id: newCollectionId(),
      tenant,
      name: req.name,
      embedder: this.opts.embedder.id,
      dimension: this.opts.embedder.dimension,
      threshold: req.threshold ?? null,
      targetFpir: req.threshold === undefined ? (req.targetFpir ?? null) : null,
      targetFar: req.targetFar ?? null,
      createdAt: new Date().toISOString(),
      storeCrops: req.storeCrops ?? true,
      generation: 0,
      faceIdSeed: null,
      fence: null,
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

  /** Refuses work for a collection whose embeddings this service cannot produce (its model left the manifest), before accepting it. */
  assertEmbedder(col: CollectionRow): void {
    if (!this.calibrationOf(col)) throw this.embedderMismatch(col, this.opts.embedder.id);
  }

  async drop(tenant: string, name: string): Promise<void> {
    const col = await this.require(tenant, name);
    // Every space the collection ever had: the current one, the first, and any a migration made (a shadow in
    // progress, or one a crash left behind). The catalog rows (migrations included) go last.
    const generations = new Set([col.generation, 0, ...(await this.catalog.listMigrations(col.id)).flatMap((m) => [m.from.generation, m.to.generation])]);
    for (const g of generations) await this.index.dropCollection(indexName(col, g));
    await this.catalog.deleteCollection(col.id);
    this.contexts.delete(col.id);
  }

  /** Embeddings of another model live in another space: comparing them would be meaningless, not just weak. */
  private checkEmbedder(col: CollectionRow, extraction: Extraction): void {
    if (extraction.model.embedder !== col.embedder || extraction.model.dimension !== col.dimension) {
      throw this.embedderMismatch(col, extraction.model.embedder);
    }
  }

  private embedderMismatch(col: CollectionRow, serviceEmbedder: string): ConflictError {
    const servable = this.calibrationOf(col) !== null;
    return new ConflictError(
      servable
        ? `Collection '${col.name}' holds ${col.embedder} embeddings (${col.dimension}-d); these faces were embedded with ${serviceEmbedder}`
        : `Collection '${col.name}' holds ${col.embedder} embeddings (${col.dimension}-d), a model this service cannot run or has no calibration for; it embeds with ${serviceEmbedder}`,
      'embedder_mismatch',
      { collection_embedder: col.embedder, service_embedder: serviceEmbedder },
    );
  }

  /**
   * Enrolls the face the extraction holds first: the one the client chose (face_index / face_box), else the
   * photo's primary face, which must dominate any others (a subject with bystanders is fine; a group is not).
   */
  async enroll(
    col: CollectionRow,
    extraction: Extraction,
    req: { subjectId: string; imageSha256: string; metadata?: Record<string, unknown> | undefined; allowMultiple: boolean; allowConflict: boolean; chosen: boolean },
  ): Promise<{ face: FaceRow; created: boolean; faceIndex: number; faceCount: number }> {
    this.checkEmbedder(col, extraction);
    const face = extraction.faces[0];
    if (!face) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    if (extraction.face_count > 1 && !extraction.primary_dominant && !req.allowMultiple && !req.chosen) {
      throw new UnprocessableError(
        `The image holds ${extraction.face_count} faces and none clearly dominates; choose one with face_index (or face_box), ` +
          'or pass allow_multiple=true to take the most prominent',
        'multiple_faces',
        { face_count: extraction.face_count, reasons: ['multiple_faces'], faces: extraction.detections },
      );
    }
    const reasons = face.quality.reasons.filter((r) => r !== 'multiple_faces');
    if (!face.quality.passed) {
      throw new UnprocessableError(`The face fails the enrollment quality gate: ${reasons.join(', ')}`, 'low_quality', { reasons });
    }

    // The primary face keeps the id it always had; another face of the same photo is another enrollment.
    const faceId = faceIdFor(col.faceIdSeed ?? col.id, req.subjectId, face.index === 0 ? req.imageSha256 : `${req.imageSha256}#${face.index}`);
    const space = indexName(col);
    const vector = Float32Array.from(face.feature);
    const record = { id: faceId, vector, payload: { subject_id: req.subjectId, face_id: faceId } };
    const placed = { faceIndex: face.index, faceCount: extraction.face_count };
    const existing = await this.catalog.getFace(col.id, faceId);
    if (existing) {
      // The row is only written after the vector, but a restored or copied index could lag: repair it.
      if ((await this.index.get(space, [faceId])).length === 0) await this.index.upsert(space, [record]);
      return { face: existing, created: false, ...placed };
    }

    if (!req.allowConflict) {
      // The same decision identify would make: a face whose best subject is someone else, at a score that
      // would name them, is a duplicate identity. Only the best subject counts, and the threshold is the
      // collection's open-set one, so honest enrollments into a large gallery are not refused.
      const ctx = await this.context(col);
      const [best] = await this.scorerFor(col).rank(col.id, vector, ctx.mu, { limit: 1 });
      if (best && best.subject_id !== req.subjectId && best.similarity >= ctx.rule.threshold) {
        const similarity = round(best.similarity);
        const threshold = round(ctx.rule.threshold);
        throw new ConflictError(
          `This face matches subject '${best.subject_id}' (similarity ${similarity} >= ${threshold}); pass on_conflict=allow to enroll it anyway`,
          'subject_conflict',
          { subject_id: best.subject_id, face_id: best.face_id, similarity, threshold },
        );
      }
    }

    await this.index.upsert(space, [record]);
    const crop = col.storeCrops && face.crop ? Buffer.from(face.crop, 'base64') : undefined;
    await this.shadow?.enrolled(col, { id: faceId, subjectId: req.subjectId, crop });
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
      vector,
      // The guard refuses the row if a migration switched the collection's space since `col` was read.
      { crop, guard: { generation: col.generation } },
    );
    this.contexts.delete(col.id);
    return { face: stored, created: true, ...placed };
  }

  /** Drops hits whose enrollment was never acknowledged (vector written, crash before the catalog row). */
  private async acknowledged(col: CollectionRow, hits: SearchHit[]): Promise<SearchHit[]> {
    const known = await this.catalog.knownFaceIds(col.id, hits.map((h) => h.id));
    return hits.filter((h) => known.has(h.id));
  }

  private toCandidates(hits: SearchHit[]): Candidate[] {
    return hits.map((h) => ({ subject_id: h.payload.subject_id, face_id: h.id, similarity: round(h.score) }));
  }

  /**
   * Every face in the image against the collection's subjects: the top_k best (best first), and a decision
   * made at the collection's threshold in force (see decisionRule).
   */
  async identify(col: CollectionRow, extraction: Extraction, req: { topK: number; threshold?: number | undefined; targetFpir?: number | undefined }) {
    this.checkEmbedder(col, extraction);
    if (extraction.faces.length === 0) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    const ctx = await this.context(col);
    const rule = this.ruleFor(col, ctx.rule, req);
    const faces = [];
    for (const face of extraction.faces) {
      faces.push({
        box: face.box,
        landmarks: face.landmarks,
        quality: face.quality,
        ...(face.liveness ? { liveness: face.liveness } : {}),
        ...(await this.identifyFace(col, ctx, rule, face, req.topK)),
      });
    }
    return { rule, faces };
  }

  private async identifyFace(col: CollectionRow, ctx: CollectionContext, rule: DecisionRule, face: ExtractedFace, topK: number) {
    // Two at least: the runner-up decides `ambiguous` even when one candidate is asked for.
    const ranked = await this.scorerFor(col).rank(col.id, face.feature, ctx.mu, { limit: Math.max(2, topK) });
    const { decision, margin } = decideFace(rule, ranked);
    const top = ranked[0];
    const candidates = ranked.slice(0, topK).map(roundCandidate);
    const cal = this.calibrationOf(col);
    const rates = top && cal ? scoreRates(cal, top.similarity, rule.galleryEntries) : null;
    return {
      decision,
      candidates,
      match: decision === 'match' && top ? roundCandidate(top) : null,
      top: top
        ? { ...roundCandidate(top), margin: margin === null ? null : round(margin), estimated_far: rates ? sig(rates.far) : null, estimated_fpir: rates ? sig(rates.fpir) : null }
        : null,
    };
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
    const hits = await this.index.search(indexName(col), Float32Array.from(vector as number[]), { topK });
    return this.toCandidates(await this.acknowledged(col, hits));
  }

  async requireSubject(col: CollectionRow, subjectId: string): Promise<SubjectRow> {
    const subject = await this.catalog.getSubject(col.id, subjectId);
    if (!subject) throw new NotFoundError(`Subject '${subjectId}' is not enrolled in collection '${col.name}'`, 'subject_not_found');
    return subject;
  }

  /** 1:1 against an enrolled subject: its template (every face, centred) decides, at the per-pair verify threshold. */
  async verify(col: CollectionRow, subjectId: string, extraction: Extraction, requested?: number) {
    this.checkEmbedder(col, extraction);
    await this.requireSubject(col, subjectId);
    const face = extraction.faces[0];
    if (!face) throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
    const ctx = await this.context(col);
    const [best] = await this.scorerFor(col).rank(col.id, face.feature, ctx.mu, { limit: 1, subjectId });
    if (!best) throw new NotFoundError(`Subject '${subjectId}' has no enrolled faces`, 'subject_not_found');
    const threshold = requested ?? ctx.rule.verifyThreshold;
    return { similarity: round(best.similarity), threshold: round(threshold), is_same_person: best.similarity >= threshold, face_id: best.face_id, box: face.box, quality: face.quality };
  }

  async listSubjects(col: CollectionRow, req: { cursor?: string | undefined; limit: number }) {
    const after = req.cursor === undefined ? undefined : decodeCursor(req.cursor);
    // One extra row tells whether another page exists without a second query.
    const rows = await this.catalog.listSubjects(col.id, { after, limit: req.limit + 1 });
    const page = rows.slice(0, req.limit);
    const last = page[page.length - 1];
    return { subjects: page, nextCursor: rows.length > req.limit && last ? encodeCursor(last.subjectId) : null };
  }

  /** The face's stored aligned crop (encoded); 404 when the face is not the subject's, or no crop was kept. */
  async getCrop(col: CollectionRow, subjectId: string, faceId: string): Promise<Buffer> {
    const face = await this.catalog.getFace(col.id, faceId);
    if (!face || face.subjectId !== subjectId) throw new NotFoundError(`Face '${faceId}' of subject '${subjectId}' is not in collection '${col.name}'`, 'face_not_found');
    const crop = await this.catalog.getCrop(col.id, faceId);
    if (!crop) {
      const why = col.storeCrops ? 'it was enrolled before crops were kept' : 'the collection was created with store_crops=false';
      throw new NotFoundError(`No crop is stored for face '${faceId}': ${why}`, 'crop_not_found');
    }
    return crop;
  }

  async getSubject(col: CollectionRow, subjectId: string): Promise<{ subject: SubjectRow; faces: FaceRow[] }> {
    const subject = await this.requireSubject(col, subjectId);
    return { subject, faces: await this.catalog.listFaces(col.id, subjectId) };
  }

  /** Vectors first, then rows (a retried delete still finds what to finish); the vectors also leave the centroid. */
  async deleteSubject(col: CollectionRow, subjectId: string): Promise<number> {
    await this.requireSubject(col, subjectId);
    const ids = (await this.catalog.facesOfSubjects(col.id, [subjectId])).get(subjectId) ?? [];
    const space = indexName(col);
    const vectors = await this.index.get(space, ids);
    const removed = await this.index.deleteBySubject(space, subjectId);
    await this.shadow?.deleted(col, { subjectId });
    await this.catalog.deleteSubject(col.id, subjectId, vectors.length ? sumOf(vectors.map((v) => v.vector), col.dimension) : null, { guard: { generation: col.generation } });
    this.contexts.delete(col.id);
    return removed;
  }

  async deleteFace(col: CollectionRow, faceId: string): Promise<void> {
    if (!(await this.catalog.getFace(col.id, faceId))) throw new NotFoundError(`Face '${faceId}' is not in collection '${col.name}'`, 'face_not_found');
    const space = indexName(col);
    const [stored] = await this.index.get(space, [faceId]);
    await this.index.delete(space, [faceId]);
    await this.shadow?.deleted(col, { faceIds: [faceId] });
    await this.catalog.deleteFace(col.id, faceId, stored?.vector ?? null, { guard: { generation: col.generation } });
    this.contexts.delete(col.id);
  }

  async close(): Promise<void> {
    await this.index.close();
    await this.catalog.close();
  }
}
