import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type CsvError, type InfoRecord, parse } from 'csv-parse';
import type { ReportRecord } from '../core/model.ts';
import { CertCentralError } from './errors.ts';
import { REQUIRED_COLUMNS, skippedRow, toReportRecord } from './report-row.ts';

/**
 * Parses one page of `GET /report/order` as it streams in, reducing each row to its compact record at once
 * (the `csr` and the unused columns are never kept). Rows are numbered from `firstRow`, 1-based across the
 * whole report. A row that does not parse or validate becomes a `skipped` record; a header that lacks a
 * required column is a fatal `CertCentralError`.
 */
export async function readReportPage(
  body: ReadableStream<Uint8Array> | null,
  firstRow: number,
  signal: AbortSignal,
): Promise<ReportRecord[]> {
  const records: ReportRecord[] = [];
  const nextRow = () => firstRow + records.length;
  let columnCount = 0;
  let lastSkippedLine: number | undefined;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const columns = header.map((name) => name.trim());
      assertRequiredColumns(columns);
      columnCount = columns.length;
      return columns;
    },
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: (row: Record<string, string>, context: InfoRecord) => {
      records.push(
        context.error === undefined
          ? toReportRecord(row, nextRow())
          : skippedRow(row, nextRow(), fieldCountMismatch(context.error, columnCount)),
      );
      return null;
    },
    on_skip: (error: CsvError | undefined) => {
      // csv-parse reports each stray quote of one record separately: count the record once.
      const line = (error as { lines?: number } | undefined)?.lines;
      if (line !== undefined && line === lastSkippedLine) return undefined;
      lastSkippedLine = line;
      records.push(skippedRow(null, nextRow(), `malformed CSV record (${error?.code ?? 'unknown error'})`));
      return undefined;
    },
  });
  if (body !== null) {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), parser, { signal });
  }
  return records;
}

function assertRequiredColumns(columns: readonly string[]): void {
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    throw new CertCentralError(
      `the order report has no ${missing.map((column) => `"${column}"`).join(', ')} column` +
        `${missing.length === 1 ? '' : 's'}`,
      { endpoint: 'report', status: 200, code: 'missing_column' },
    );
  }
}

function fieldCountMismatch(error: CsvError, columnCount: number): string {
  const fields = Array.isArray(error.record) ? error.record.length : 'a different number of';
  return `has ${fields} fields where the header has ${columnCount} columns`;
}
