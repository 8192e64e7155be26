import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';

export interface Refusal {
  /** `<subject_id>/<file>` */
  file: string;
  path: string;
  subject_id: string;
  code: string;
  message: string;
  /** As the service gave them: `reasons` for low_quality, `faces` for multiple_faces, `subject_id` for subject_conflict… */
  details: Record<string, unknown> | null;
}

export type ReportFormat = 'jsonl' | 'csv';

export function reportFormat(path: string, explicit?: string): ReportFormat {
  const format = explicit ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
  if (format !== 'csv' && format !== 'jsonl') throw new Error(`--report-format must be jsonl or csv, got "${format}"`);
  return format;
}

/** Rewritten whole on every run, sorted by file, so a resumed run's report lists each refused photo once. */
export function writeReport(path: string, format: ReportFormat, refusals: Iterable<Refusal>) {
  const rows = [...refusals].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (format === 'jsonl') {
    writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return;
  }
  writeFileSync(
    path,
    stringify(
      rows.map((r) => ({ ...r, details: r.details ? JSON.stringify(r.details) : '' })),
      { header: true, columns: ['file', 'subject_id', 'code', 'message', 'details', 'path'] },
    ),
  );
}
