import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Model sessions take a second or two to create on a 2-core machine; real images go through real models.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
