import { join } from 'node:path';
import type { LinkState } from '@facerec/redis';
import type { Catalog } from './catalog.ts';
import { RedisCatalog } from './redis-catalog.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

export interface CatalogOptions {
  /** Set: the fleet's shared Redis (the same one the queue uses). Unset: SQLite under dataDir. */
  redisUrl: string | undefined;
  prefix: string;
  dataDir: string;
  /** Redis catalog: how long a request gives an unresponsive Redis before a 503. */
  redisTimeoutMs: number;
  /** Redis catalog: reachability changes, once each (down with the reason, up again). */
  onChange: (state: LinkState) => void;
}

/** The one place that picks the catalog adapter, following the queue: shared when the queue is. */
export function createCatalog(opts: CatalogOptions): Catalog {
  return opts.redisUrl
    ? new RedisCatalog(opts.redisUrl, opts.prefix, { timeoutMs: opts.redisTimeoutMs, onChange: opts.onChange })
    : new SqliteCatalog(join(opts.dataDir, 'catalog.sqlite'));
}
