import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogContract } from './catalog-contract.ts';
import { SqliteCatalog } from './sqlite-catalog.ts';

catalogContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-test-'));
  // A nested path: the catalog creates its directory.
  const file = join(dir, 'nested', 'catalog.sqlite');
  let catalog = new SqliteCatalog(file);
  return {
    catalog,
    async reopen() {
      await catalog.close();
      catalog = new SqliteCatalog(file);
      return catalog;
    },
    async cleanup() {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
