import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { validationHook } from '../../errors/index.ts';
import type { GatewayDeps } from '../../gateway-deps.ts';
import { type BatchUpload, receiveBatchUpload } from '../../services/batch-upload.ts';

const idempotencyKey = z.string().min(1).max(200).optional();

/**
 * The request side of a batch submission route. Batch routes are documented with `createRoute` like the
 * others but not validated by it, because its validator buffers the whole multipart body; here the images
 * stream into the blob store and the text fields are checked afterwards with the same zod schema (minus the
 * files), through the same hook, so errors look the same. Throws after freeing the stored images.
 */
export async function readBatchForm<S extends z.ZodObject>(
  c: Context<AppEnv>,
  deps: GatewayDeps,
  fieldsSchema: S,
): Promise<{ upload: BatchUpload; form: z.output<S>; idempotencyKey: string | undefined }> {
  const key = idempotencyKey.safeParse(c.req.header('idempotency-key'));
  validationHook({ success: key.success, error: key.error, data: { 'idempotency-key': c.req.header('idempotency-key') } });
  const upload = await receiveBatchUpload(c.req.raw, {
    fileField: 'images',
    maxItems: deps.batchMaxItems,
    putBlob: (bytes) => deps.queue.putBlob(bytes, { durable: true }),
    deleteBlobs: (keys) => deps.queue.deleteBlobs(keys),
  });
  const form = await upload.check(() => {
    const parsed = fieldsSchema.safeParse(upload.fields);
    validationHook({ success: parsed.success, error: parsed.error, data: upload.fields, target: 'form' });
    return parsed.data as z.output<S>;
  });
  return { upload, form, idempotencyKey: key.data };
}
