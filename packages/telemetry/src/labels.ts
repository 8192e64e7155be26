/**
 * Label values are bounded by construction: a value outside its known set becomes `other`, so a bug or a
 * hostile input can never mint new time series.
 */
const CODE = /^[a-z][a-z0-9_]{0,47}$/;

/** Error codes are the typed hierarchy's snake_case constants; anything else is not one of ours. */
export function boundedCode(code: string | undefined): string {
  if (code === undefined) return 'none';
  return CODE.test(code) ? code : 'other';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function boundedMethod(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

export const PIPELINE_STAGES = ['decode', 'detect', 'align', 'embed', 'quality'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export function isPipelineStage(name: string): name is PipelineStage {
  return (PIPELINE_STAGES as readonly string[]).includes(name);
}
