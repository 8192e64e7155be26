import type { Metrics } from './metrics.ts';

/**
 * The value of one sample of a metric family, by its labels. For a histogram pass `suffix` (`_count`, `_sum`):
 * prom-client names those samples `metricName`.
 */
export async function sampleValue(metrics: Metrics, name: string, labels: Record<string, string> = {}, suffix = ''): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const hit = (values as Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>).find((v) => {
    const sampleName = v.metricName ?? name;
    return sampleName === `${name}${suffix}` && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want);
  });
  return hit?.value;
}
