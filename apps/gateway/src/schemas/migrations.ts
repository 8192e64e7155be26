import { z } from '@hono/zod-openapi';
import { collectionParam } from './collections.ts';
import { jobSummary } from './jobs.ts';

export const startMigrationBody = z
  .object({
    embedder: z.string().min(1).max(100).openapi({ description: 'A calibrated embedder of the service\'s manifest', example: 'arcface-mobilenet-128' }),
    auto_commit: z.boolean().optional().openapi({ description: 'Switch as soon as every face is re-embedded (default false: wait for POST …/commit)' }),
    webhook_url: z.url().optional().openapi({ description: 'POSTed a signed event when the re-embedding job ends' }),
  })
  .strict();

export const migrationParam = collectionParam.extend({
  migration_id: z.string().min(1).max(100).openapi({ param: { name: 'migration_id', in: 'path' } }),
});

const space = z.object({ embedder: z.string(), dimension: z.number().int() });

const report = z
  .object({
    faces: z.number().int(),
    migrated: z.number().int(),
    failed: z.number().int(),
    failures: z.array(z.object({ face_id: z.string(), subject_id: z.string().nullable(), code: z.string(), message: z.string() })),
    seconds: z.number(),
    faces_per_second: z.number(),
    self_consistency: z
      .object({
        threshold: z.number(),
        far: z.string(),
        subjects: z.number().int(),
        faces: z.number().int(),
        consistent: z.number().int(),
        rate: z.number().nullable(),
        inconsistent: z.array(z.object({ subject_id: z.string(), face_id: z.string(), similarity: z.number() })),
        before: z.object({ threshold: z.number(), consistent: z.number().int(), rate: z.number().nullable() }).nullable(),
      })
      .openapi({
        description:
          'Each face of a subject with several faces against the template of its other faces, centred, at the new model\'s calibrated verify threshold (`far`); `before` is the same check in the current space',
      }),
  })
  .openapi('MigrationReport');

export const migrationSchema = z
  .object({
    id: z.string(),
    collection: z.string(),
    state: z.enum(['running', 'ready', 'committing', 'committed', 'rolled_back', 'cancelled', 'failed']),
    from: space,
    to: space,
    auto_commit: z.boolean(),
    job_id: z.string().nullable().openapi({ description: 'The re-embedding job (GET /v1/jobs/{id}: progress; DELETE /v1/jobs/{id} cancels)' }),
    created_at: z.string(),
    finished_at: z.string().nullable(),
    report: report.nullable(),
    error: z.string().nullable(),
  })
  .openapi('Migration');

const jobView = jobSummary.omit({ success: true }).nullable();

export const migrationResponse = z.object({ success: z.literal(true), migration: migrationSchema, job: jobView }).openapi('MigrationResponse');
export const migrationListResponse = z.object({ success: z.literal(true), migrations: z.array(migrationSchema) }).openapi('MigrationList');
