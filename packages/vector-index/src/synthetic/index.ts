export { faceLikeGenerator, seededRandom, gaussian, normalizeInPlace, cosine, type FaceLikeGenerator, type FaceLikeOptions } from './face-like-embeddings.ts';
export { exactTopK } from './exact-search.ts';
