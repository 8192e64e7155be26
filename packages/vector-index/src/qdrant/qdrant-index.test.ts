import { describe, expect, it } from 'vitest';
import { vectorIndexContract } from '../contract/vector-index-contract.ts';
import { createVectorIndex } from '../create-vector-index.ts';
import { pointId } from './qdrant-index.ts';

const url = process.env.QDRANT_URL;

describe.skipIf(!url)('qdrant adapter (QDRANT_URL set)', () => {
  vectorIndexContract(
    'qdrant',
    () => createVectorIndex({ dataDir: '/nonexistent', qdrantUrl: url, qdrantApiKey: process.env.QDRANT_API_KEY, qdrantCollectionPrefix: 'facerec_test_' }),
    { recallFaces: 5000 },
  );
});

describe('qdrant point ids', () => {
  it('keeps uuids and maps other ids to a stable uuid', () => {
    expect(pointId('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(pointId('face-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId('face-1')).toBe(pointId('face-1'));
    expect(pointId('face-1')).not.toBe(pointId('face-2'));
  });

  it('selects the qdrant adapter only when a URL is given', async () => {
    const q = await createVectorIndex({ dataDir: '/nonexistent', qdrantUrl: 'http://127.0.0.1:1' });
    expect(q.kind).toBe('qdrant');
    await q.close();
  });
});
