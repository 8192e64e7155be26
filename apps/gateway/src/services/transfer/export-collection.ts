import type { VectorIndex } from '@facerec/vector-index';
import { type Catalog, type CollectionRow, indexName } from '@facerec/collections';
import { type EndLine, type FaceLine, type HeaderLine, type SubjectLine, TRANSFER_FORMAT } from './transfer-format.ts';

/** Subjects per catalog round trip: their faces, vectors and crops are read together. */
const PAGE = 200;

/**
 * The collection as JSON Lines (see transfer-format.ts), produced a page of subjects at a time so an export of
 * any size streams in constant memory. Embeddings are the index's stored vectors, bit for bit (float32
 * values print exactly as JSON numbers), and the running centroid sum is read at the end: importing the
 * stream reproduces the collection's scores exactly. A face whose vector is missing (an interrupted delete)
 * is not exported.
 */
export async function* exportCollection(catalog: Catalog, index: VectorIndex, col: CollectionRow, opts: { crops: boolean }): AsyncGenerator<string> {
  const header: HeaderLine = {
    type: 'header',
    format: TRANSFER_FORMAT,
    exported_at: new Date().toISOString(),
    collection: {
      name: col.name,
      embedder: col.embedder,
      dimension: col.dimension,
      threshold: col.threshold,
      target_fpir: col.targetFpir,
      target_far: col.targetFar as HeaderLine['collection']['target_far'],
      store_crops: col.storeCrops,
      created_at: col.createdAt,
      face_id_seed: col.faceIdSeed ?? col.id,
    },
    crops: opts.crops,
  };
  yield `${JSON.stringify(header)}\n`;
  const space = indexName(col);
  let subjects = 0;
  let faces = 0;
  let after: string | undefined;
  for (;;) {
    const page = await catalog.listSubjects(col.id, { after, limit: PAGE });
    if (page.length === 0) break;
    after = page[page.length - 1]!.subjectId;
    let chunk = '';
    for (const s of page) {
      const line: SubjectLine = { type: 'subject', subject_id: s.subjectId, metadata: s.metadata, created_at: s.createdAt };
      chunk += `${JSON.stringify(line)}\n`;
    }
    subjects += page.length;
    const ids = [...(await catalog.facesOfSubjects(col.id, page.map((s) => s.subjectId))).values()].flat();
    const [rows, vectors] = await Promise.all([catalog.getFaces(col.id, ids), index.get(space, ids)]);
    const byId = new Map(vectors.map((v) => [v.id, v.vector]));
    for (const f of rows) {
      const vector = byId.get(f.id);
      if (!vector) continue;
      const crop = opts.crops ? await catalog.getCrop(col.id, f.id) : null;
      const line: FaceLine = {
        type: 'face',
        face_id: f.id,
        subject_id: f.subjectId,
        sha256: f.sha256,
        quality: { passed: f.quality.passed, reasons: f.quality.reasons },
        box: f.box,
        created_at: f.createdAt,
        model: col.embedder,
        embedding: Array.from(vector),
        ...(crop ? { crop: crop.toString('base64') } : {}),
      };
      chunk += `${JSON.stringify(line)}\n`;
      faces++;
    }
    yield chunk;
  }
  const centroid = await catalog.getCentroid(col.id);
  const end: EndLine = { type: 'end', subjects, faces, centroid: centroid ? { count: centroid.count, sum: Array.from(centroid.sum) } : null };
  yield `${JSON.stringify(end)}\n`;
}
