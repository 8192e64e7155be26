import type { VectorIndex } from '@facerec/vector-index';
import type { Catalog, CollectionRow, CollectionService } from '@facerec/collections';
import type { FaceExtractor } from '../face-extractor.ts';
import { exportCollection } from './export-collection.ts';
import { importCollection, type ImportRequest, type ImportResult } from './import-collection.ts';

/** Export and import of whole collections (JSON Lines), over the same catalog and index the collections use. */
export class CollectionTransfer {
  private readonly deps: { catalog: Catalog; index: VectorIndex; collections: CollectionService; extractor: FaceExtractor };

  constructor(deps: { catalog: Catalog; index: VectorIndex; collections: CollectionService; extractor: FaceExtractor }) {
    this.deps = deps;
  }

  exportLines(col: CollectionRow, opts: { crops: boolean }): AsyncGenerator<string> {
    return exportCollection(this.deps.catalog, this.deps.index, col, opts);
  }

  import(req: ImportRequest): Promise<ImportResult> {
    return importCollection(this.deps, req);
  }
}
