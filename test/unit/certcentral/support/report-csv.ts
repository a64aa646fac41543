import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const seed = readFileSync(new URL('../../../fixtures/certcentral/report-seed.csv', import.meta.url), 'utf8');
const [seedHeader, ...seedRows] = parse(seed, { relax_column_count: false }) as string[][];

/** The column names of the seed's example header, in order. */
export const SEED_COLUMNS: readonly string[] = seedHeader ?? [];

/** The seed's first example row (order 123456, with its multi-line `csr`), by column name. */
export const SEED_ROW: Readonly<Record<string, string>> = Object.fromEntries(
  SEED_COLUMNS.map((column, index) => [column, seedRows[0]?.[index] ?? '']),
);

/** One CSV value as CertCentral writes it: always quoted, inner quotes doubled. */
export const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** A report row: the seed's first row with `overrides`, in the order of `columns`. */
export function reportLine(overrides: Record<string, string> = {}, columns = SEED_COLUMNS): string {
  const row = { ...SEED_ROW, ...overrides };
  return columns.map((column) => quote(row[column] ?? '')).join(',');
}

/** A whole report page with the given rows. */
export function reportCsv(rows: Record<string, string>[], columns = SEED_COLUMNS): string {
  return [columns.join(','), ...rows.map((row) => reportLine(row, columns))].join('\n').concat('\n');
}

/** `count` issued orders numbered from `firstOrderId`. */
export function orderRows(count: number, firstOrderId = 1): Record<string, string>[] {
  return Array.from({ length: count }, (_, index) => ({
    order_id: String(firstOrderId + index),
    common_name: `site${firstOrderId + index}.example.com`,
    dns_names: `site${firstOrderId + index}.example.com`,
  }));
}
