export type {
  CollectionInfo,
  FacePayload,
  HnswSettings,
  QuantizationSettings,
  SearchHit,
  SearchOptions,
  VectorIndex,
  VectorRecord,
} from './vector-index.ts';
export { createVectorIndex, DEFAULT_HNSW, DEFAULT_QUANTIZATION, type CreateVectorIndexOptions } from './create-vector-index.ts';
export { EmbeddedVectorIndex, type OpenReport } from './embedded/embedded-index.ts';
export { QdrantVectorIndex, pointId, type QdrantIndexOptions, type QdrantOpenReport } from './qdrant/qdrant-index.ts';
