import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type CsvError, type InfoRecord, parse } from 'csv-parse';
import type { ReportRecord } from '../core/model.ts';
import { CertCentralError } from './errors.ts';
import {
  bodyKind,
  DESCRIBED_BODY_MAX_BYTES,
  readBounded,
  receivedBody,
  unexpectedBody,
} from './received-body.ts';
import { REQUIRED_COLUMNS, skippedRow, toReportRecord } from './report-row.ts';

/** How far into a body the first character that is not blank is looked for before it is read as CSV anyway. */
const SNIFF_MAX_BYTES = 65_536;

/**
 * Parses one page of `GET /report/order` as it streams in, reducing each row to its compact record at once
 * (the `csr` and the unused columns are never kept). Rows are numbered from `firstRow`, 1-based across the
 * whole report. A row that does not parse or validate becomes a `skipped` record. Fatal `CertCentralError`s: a
 * header that lacks a required column, a body that is HTML or JSON, and an empty first page (an empty page
 * past the last row is the end of the report).
 */
export async function readReportPage(
  response: Response,
  firstRow: number,
  signal: AbortSignal,
): Promise<ReportRecord[]> {
  const contentType = response.headers.get('content-type');
  if (response.body === null) {
    return emptyPage(response, firstRow, { text: '', bytes: 0, complete: true });
  }
  const reader = response.body.getReader();
  const head = await sniff(reader);
  const kind = bodyKind(head.text, contentType);
  if (kind === 'empty' && head.done) {
    return emptyPage(response, firstRow, { text: head.text, bytes: head.bytes, complete: true });
  }
  if (kind === 'html' || kind === 'json') {
    const read = await readBounded(reader, DESCRIBED_BODY_MAX_BYTES, head.chunks);
    throw unexpectedBody('report', response.status, receivedBody(read, contentType), 'CSV');
  }
  return parsePage(Readable.from(rest(reader, head.chunks)), firstRow, signal, contentType, response.status);
}

interface Head {
  chunks: Uint8Array[];
  text: string;
  bytes: number;
  done: boolean;
}

/** Reads until the first character that is not blank (or the end): enough to tell CSV from HTML or JSON. */
async function sniff(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Head> {
  const decoder = new TextDecoder();
  const head: Head = { chunks: [], text: '', bytes: 0, done: false };
  while (bodyKind(head.text, null) === 'empty' && head.bytes < SNIFF_MAX_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      head.done = true;
      break;
    }
    head.chunks.push(value);
    head.bytes += value.byteLength;
    head.text += decoder.decode(value, { stream: true });
  }
  return head;
}

async function* rest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  head: readonly Uint8Array[],
): AsyncGenerator<Uint8Array> {
  yield* head;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function emptyPage(
  response: Response,
  firstRow: number,
  read: { text: string; bytes: number; complete: boolean },
): ReportRecord[] {
  if (firstRow > 1) return [];
  throw unexpectedBody(
    'report',
    response.status,
    receivedBody(read, response.headers.get('content-type')),
    'CSV',
  );
}

async function parsePage(
  body: Readable,
  firstRow: number,
  signal: AbortSignal,
  contentType: string | null,
  status: number,
): Promise<ReportRecord[]> {
  const records: ReportRecord[] = [];
  const nextRow = () => firstRow + records.length;
  let columnCount = 0;
  let lastSkippedLine: number | undefined;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      const columns = header.map((name) => name.trim());
      assertRequiredColumns(columns, contentType, status);
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
  await pipeline(body, parser, { signal });
  return records;
}

function assertRequiredColumns(columns: readonly string[], contentType: string | null, status: number): void {
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length === REQUIRED_COLUMNS.length) {
    const type = contentType?.split(';')[0]?.trim() || 'untyped';
    throw new CertCentralError(
      `CertCentral report answered HTTP ${status} with a ${type} body whose first line is not the order ` +
        `report's header (no "${REQUIRED_COLUMNS[0]}" column, nor any other the alerts need): check the base URL`,
      { endpoint: 'report', status, code: 'missing_column' },
    );
  }
  if (missing.length > 0) {
    throw new CertCentralError(
      `the order report has no ${missing.map((column) => `"${column}"`).join(', ')} column` +
        `${missing.length === 1 ? '' : 's'}`,
      { endpoint: 'report', status, code: 'missing_column' },
    );
  }
}

function fieldCountMismatch(error: CsvError, columnCount: number): string {
  const fields = Array.isArray(error.record) ? error.record.length : 'a different number of';
  return `has ${fields} fields where the header has ${columnCount} columns`;
}
