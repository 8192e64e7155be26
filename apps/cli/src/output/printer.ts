/** Where the CLI writes: results to stdout (JSON lines with --json), progress and diagnostics to stderr. */
export interface Printer {
  json: boolean;
  /** A human line on stdout (ignored with --json). */
  line(text: string): void;
  /** A JSON value on one stdout line (only with --json). */
  record(value: unknown): void;
  /** A diagnostic on stderr, in both modes. */
  note(text: string): void;
}

export function createPrinter(json: boolean, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Printer {
  return {
    json,
    line: (text) => {
      if (!json) out.write(`${text}\n`);
    },
    record: (value) => {
      if (json) out.write(`${JSON.stringify(value)}\n`);
    },
    note: (text) => err.write(`${text}\n`),
  };
}

export const fixed = (n: number | null | undefined, digits = 3) => (typeof n === 'number' ? n.toFixed(digits) : '-');

/** Plain left-aligned columns for tables of a few dozen rows. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
