import { join } from 'node:path';
import type { Catalog } from './catalog.ts';
import { RedisCatalog } from './redis-catalog.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

export interface CatalogOptions {
  /** Set: the fleet's shared Redis (the same one the queue uses). Unset: SQLite under dataDir. */
  redisUrl: string | undefined;
  prefix: string;
  dataDir: string;
  /** Connection errors of the Redis catalog that no request is waiting on. */
  onError: (err: Error) => void;
}

/** The one place that picks the catalog adapter, following the queue: shared when the queue is. */
export function createCatalog(opts: CatalogOptions): Catalog {
  return opts.redisUrl ? new RedisCatalog(opts.redisUrl, opts.prefix, opts.onError) : new SqliteCatalog(join(opts.dataDir, 'catalog.sqlite'));
}
