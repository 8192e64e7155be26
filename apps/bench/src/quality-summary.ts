import type { QualityMetrics, QualityOptions } from '@facerec/face';

const KEYS: (keyof QualityMetrics)[] = ['eyeDistance', 'detScore', 'sharpness', 'brightness', 'contrast', 'yaw', 'roll'];

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Distribution of each quality metric and how often each gate fires, to choose defaults from data. */
export function summarizeQuality(faces: readonly { quality: QualityMetrics; passed: boolean; reasons: string[] }[], q: QualityOptions): void {
  console.log('quality metric distribution (min / p1 / p5 / p50 / p95 / p99 / max):');
  for (const k of KEYS) {
    const v = faces.map((f) => (k === 'yaw' || k === 'roll' ? Math.abs(f.quality[k]) : f.quality[k])).sort((a, b) => a - b);
    const qs = [0, 0.01, 0.05, 0.5, 0.95, 0.99, 1].map((p) => quantile(v, p).toFixed(k === 'detScore' ? 3 : 1));
    console.log(`  ${(k === 'yaw' || k === 'roll' ? `|${k}|` : k).padEnd(12)} ${qs.join(' / ')}`);
  }
  const counts = new Map<string, number>();
  for (const f of faces) for (const r of f.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const failed = faces.filter((f) => !f.passed).length;
  console.log(`quality gate with ${JSON.stringify(q)}: ${failed}/${faces.length} fail; reasons ${JSON.stringify(Object.fromEntries(counts))}`);
}
