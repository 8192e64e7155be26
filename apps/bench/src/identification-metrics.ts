/** Pure open-set (1:N) identification metrics over ranked search results. */

export interface RankedHit {
  subject: string;
  score: number;
}

/** One probe's search result; `truth` is null for a distractor (a person who was never enrolled). */
export interface ProbeResult {
  truth: string | null;
  hits: readonly RankedHit[];
}

/** Fraction of genuine probes whose identity is among the first `k` hits (closed-set CMC at rank k). */
export function rankRate(probes: readonly ProbeResult[], k: number): number {
  const genuine = probes.filter((p) => p.truth !== null);
  if (genuine.length === 0) return NaN;
  const hit = genuine.filter((p) => p.hits.slice(0, k).some((h) => h.subject === p.truth)).length;
  return hit / genuine.length;
}

export interface OpenSetRates {
  /** Genuine probes whose top-1 is the right person and clears the threshold (detection-and-identification rate). */
  dir: number;
  /** Genuine probes whose top-1 clears the threshold but is someone else. */
  wrongIdentityRate: number;
  /** Distractor probes whose top-1 clears the threshold: `match` names someone who is not there. */
  falseMatchRate: number;
  genuine: number;
  distractors: number;
}

/** Accept = score >= threshold, the same comparison the service's `match` makes. */
export function openSetRates(probes: readonly ProbeResult[], threshold: number): OpenSetRates {
  let genuine = 0;
  let distractors = 0;
  let correct = 0;
  let wrong = 0;
  let falseMatch = 0;
  for (const p of probes) {
    const top = p.hits[0];
    const accepted = top !== undefined && top.score >= threshold;
    if (p.truth === null) {
      distractors++;
      if (accepted) falseMatch++;
    } else {
      genuine++;
      if (accepted && top.subject === p.truth) correct++;
      else if (accepted) wrong++;
    }
  }
  const rate = (n: number, d: number): number => (d === 0 ? NaN : n / d);
  return {
    dir: rate(correct, genuine),
    wrongIdentityRate: rate(wrong, genuine),
    falseMatchRate: rate(falseMatch, distractors),
    genuine,
    distractors,
  };
}
