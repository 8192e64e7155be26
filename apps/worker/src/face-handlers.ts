import { NoFaceError } from '@facerec/errors';
import { decodeCrop, encodeCrop, type FacePipeline, toExtraction } from '@facerec/face';
import type { Handlers } from '@facerec/queue';
import { animatedFormat, explainImageError } from './image-notes.ts';

/**
 * The worker's side of the job catalog. An image without a face can never succeed, so it fails as the
 * permanent NoFaceError (unrecoverable for the queue, 400 for a synchronous caller, a per-item error in a
 * batch); anything transient (a thread restart, say) throws and is retried.
 */
export function createFaceHandlers(pipeline: FacePipeline): Handlers {
  return {
    extract: async (payload, ctx) => {
      const image = await ctx.readBlob(payload.blobKey);
      const analysis = await pipeline.analyze(image, payload.options).catch((err: unknown) => {
        throw explainImageError(err, image);
      });
      if (analysis.faces.length === 0) {
        const animated = animatedFormat(image);
        if (animated) {
          throw new NoFaceError(`No face was detected in the first frame of this animated ${animated}; only the first frame of an animation is read`, 'no_face', {
            face_count: 0,
            animated: true,
          });
        }
        throw new NoFaceError('No face was detected in the image', 'no_face', { face_count: 0 });
      }
      // Encoded here, off the pipeline thread (sharp works on libuv's pool), and only when asked: the
      // default path carries no crop.
      const crops = payload.options.crops ? await Promise.all(analysis.faces.map((f) => (f.crop ? encodeCrop(f.crop) : Promise.resolve(new Uint8Array(0))))) : undefined;
      return { ...toExtraction(pipeline, analysis, crops) };
    },
    embed: async (payload, ctx) => {
      const crop = await decodeCrop(await ctx.readBlob(payload.blobKey));
      const { embedder, dimension, vectors } = await pipeline.embedCrops([crop], payload.options);
      return { embedder, dimension, feature: Array.from(vectors[0]!) };
    },
  };
}
