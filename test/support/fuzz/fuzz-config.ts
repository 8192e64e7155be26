import { z } from 'zod';

/**
 * The fuzz test's own settings, read once here. CI runs the default (1,000); `npm run test:fuzz` sets
 * FUZZ_REQUESTS=10000 for the long run. FUZZ_SEED replays a run that failed.
 */
const schema = z.object({
  FUZZ_REQUESTS: z.coerce.number().int().min(1).default(1000),
  FUZZ_SEED: z.coerce.number().int().optional(),
});

const parsed = schema.parse({ FUZZ_REQUESTS: process.env.FUZZ_REQUESTS || undefined, FUZZ_SEED: process.env.FUZZ_SEED || undefined });

export const fuzzConfig = { requests: parsed.FUZZ_REQUESTS, seed: parsed.FUZZ_SEED };
