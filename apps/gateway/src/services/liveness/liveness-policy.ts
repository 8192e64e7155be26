import { UnprocessableError } from '@facerec/errors';
import type { ExtractedFace } from '../face-extractor.ts';

export type LivenessMode = 'off' | 'report' | 'enforce';

/**
 * When the passive liveness check runs and what a failed one does, from LIVENESS and the request's own
 * `liveness` field:
 * - off (default): only requests with liveness=true run it, and it is only reported;
 * - report: every face gets it (a request may opt out with liveness=false);
 * - enforce: every face gets it, no opting out, and a failed check refuses enrollment and verify.
 * The check is a single-frame passive classifier, not a certified presentation-attack defence (README).
 */
export class LivenessPolicy {
  readonly mode: LivenessMode;

  constructor(mode: LivenessMode) {
    this.mode = mode;
  }

  /** Whether this request runs the check. */
  wanted(requested: boolean | undefined): boolean {
    if (this.mode === 'enforce') return true;
    return requested ?? this.mode === 'report';
  }

  /** Under `enforce`, a face whose check failed is refused: 422 spoof_suspected. */
  enforce(face: Pick<ExtractedFace, 'liveness'>): void {
    if (this.mode !== 'enforce' || !face.liveness || face.liveness.passed) return;
    const { score, model } = face.liveness;
    throw new UnprocessableError(
      `The liveness check failed (score ${score} with ${model}): the image may show a printed photo or a screen rather than a live face`,
      'spoof_suspected',
      { liveness: face.liveness },
    );
  }
}
