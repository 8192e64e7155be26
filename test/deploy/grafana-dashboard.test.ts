/**
 * infra/grafana/facerec-dashboard.json is built on exactly the metrics the service exports: every series a
 * panel queries belongs to a family in the service's registry (the same Metrics class the gateway and the
 * workers serve; test/observability.test.ts checks that their /metrics export all of it), every label it
 * filters or groups by is one of that metric's, and every facerec_ family is charted somewhere.
 */
import { readFileSync } from 'node:fs';
import { Metrics } from '@facerec/telemetry';
import { describe, expect, it } from 'vitest';
import { familiesOf, familyOfSeries, labelsInPromql, seriesInPromql } from '../support/prometheus-names.ts';

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
  datasource?: { uid: string };
}

const dashboard = JSON.parse(readFileSync(new URL('../../infra/grafana/facerec-dashboard.json', import.meta.url), 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string }> };
};
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
const NAMESPACES = ['facerec_', 'process_', 'nodejs_'];
/** Added by Prometheus to every scraped series (target labels), or by histograms. */
const ALWAYS = new Set(['instance', 'job', 'le']);

describe('Grafana dashboard', async () => {
  const metrics = new Metrics();
  const families = familiesOf((await metrics.exposition()).body);
  const labelNames = new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, (m as unknown as { labelNames?: string[] }).labelNames ?? []]));

  it('has panels, each reading Prometheus through the datasource variable', () => {
    expect(queries.length).toBeGreaterThan(20);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    for (const p of dashboard.panels.filter((p) => p.type !== 'row')) expect(p.datasource?.uid, p.title).toBe('${datasource}');
  });

  it('queries only series the service exports, with their own labels', () => {
    for (const { panel, expr } of queries) {
      const series = seriesInPromql(expr, NAMESPACES);
      expect(series.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      const used = series.map((s) => familyOfSeries(s, families));
      series.forEach((s, i) => expect(used[i], `${panel}: ${s} is not exported`).toBeDefined());
      const allowed = new Set([...ALWAYS, ...used.flatMap((f) => labelNames.get(f!.name) ?? [])]);
      for (const label of labelsInPromql(expr)) expect(allowed.has(label), `${panel}: label ${label} is not one of ${series.join(', ')}'s`).toBe(true);
    }
  });

  it('charts every facerec_ metric', () => {
    const charted = new Set(queries.flatMap(({ expr }) => seriesInPromql(expr, NAMESPACES).map((s) => familyOfSeries(s, families)?.name)));
    const ours = [...families.keys()].filter((n) => n.startsWith('facerec_'));
    expect(ours.length).toBeGreaterThanOrEqual(14);
    for (const name of ours) expect(charted.has(name), `${name} is on no panel`).toBe(true);
  });

  it('the helpers catch a misspelt metric and a foreign label', () => {
    expect(familyOfSeries('facerec_http_request_total', families)).toBeUndefined();
    expect(familyOfSeries('facerec_http_request_duration_seconds_bucket', families)?.name).toBe('facerec_http_request_duration_seconds');
    expect(seriesInPromql('sum by (le) (rate(facerec_jobs_total{code="no_face"}[5m]))', NAMESPACES)).toEqual(['facerec_jobs_total']);
    expect(labelsInPromql('sum by (queue, le) (rate(facerec_jobs_total{code!="none",outcome=~"f.*"}[5m]))').sort()).toEqual(['code', 'le', 'outcome', 'queue']);
  });
});
