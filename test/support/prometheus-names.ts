/**
 * Reading metric names out of Prometheus text and PromQL, for checking that what a dashboard queries is
 * what the service exports.
 */

export interface MetricFamily {
  name: string;
  type: string;
}

/** Families from `# TYPE <name> <type>` lines of the text exposition format. */
export function familiesOf(exposition: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1]!, { name: m[1]!, type: m[2]! });
  return families;
}

const SERIES_SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

/** The family a series name belongs to (`x_bucket` → histogram `x`), or undefined when none exports it. */
export function familyOfSeries(series: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const direct = families.get(series);
  if (direct) return direct;
  for (const family of families.values()) {
    if ((SERIES_SUFFIXES[family.type] ?? []).some((suffix) => series === `${family.name}${suffix}`)) return family;
  }
  return undefined;
}

/**
 * The series names a PromQL expression reads. Label matchers (`{...}`), range selectors (`[...]`), strings and
 * grouping clauses are removed first, so what remains that looks like a metric of ours is one.
 */
export function seriesInPromql(expr: string, namespaces: readonly string[]): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without)\s*\([^)]*\)/g, '');
  const names = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(names.filter((n) => namespaces.some((ns) => n.startsWith(ns))))];
}

/** Label names a PromQL expression matches on or groups by. */
export function labelsInPromql(expr: string): string[] {
  const labels = new Set<string>();
  for (const m of expr.matchAll(/\{([^}]*)\}/g)) for (const l of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(l[1]!);
  for (const m of expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)) for (const l of m[1]!.split(',')) if (l.trim()) labels.add(l.trim());
  return [...labels];
}
