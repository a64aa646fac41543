import type { ReportRecord } from '../core/model.ts';
import { CertCentralError } from './errors.ts';
import type { HttpTransport, TransportResult } from './http-transport.ts';
import { readReportPage } from './report-page.ts';
import type { StatsCounter } from './stats.ts';

export interface ReportStreamOptions {
  transport: HttpTransport;
  pageSize: number;
  /** The report may not pass this many rows: past it, the server is taken to be paging forever. */
  maxRows: number;
  stats: StatsCounter;
}

/**
 * Every record of `GET /report/order`, page by page (`limit`/`offset`), until a page comes back shorter than
 * `pageSize`. Each page is read whole before its records are yielded, so a page whose body fails midway is
 * fetched again without yielding a record twice. A server that would page forever is stopped: a page with the
 * same order ids as the page before it (an ignored `offset`), or a report that passes `maxRows`, fails the scan.
 */
export async function* streamReport({
  transport,
  pageSize,
  maxRows,
  stats,
}: ReportStreamOptions): AsyncGenerator<ReportRecord> {
  let previousIds: string | null = null;
  for (let offset = 0, pageNumber = 1; ; pageNumber++) {
    const result = await transport.get({
      endpoint: 'report',
      path: '/report/order',
      query: { limit: String(pageSize), offset: String(offset) },
      json: false,
      read: (response, signal) => readReportPage(response, offset + 1, signal),
    });
    const page = pageOrThrow(result, transport.baseUrl);
    const ids = orderIds(page);
    if (previousIds !== null && ids !== '' && ids === previousIds) {
      throw new CertCentralError(
        `CertCentral answered report page ${pageNumber} (offset ${offset}) with the same ${page.length} rows as ` +
          `page ${pageNumber - 1}: the server ignores the offset and would page forever; stopped`,
        { endpoint: 'report', status: 200, code: 'report_loop' },
      );
    }
    if (offset + page.length > maxRows) {
      throw new CertCentralError(
        `the order report passed ${maxRows} rows (page ${pageNumber} ends at row ${offset + page.length}): ` +
          'stopped, in case the server pages forever. Raise the report row cap (--max-report-rows, or ' +
          'MAX_REPORT_ROWS for the scan function) if the account really has more orders',
        { endpoint: 'report', status: 200, code: 'too_many_rows' },
      );
    }
    previousIds = ids;
    stats.pages++;
    stats.rows += page.length;
    stats.skippedRows += page.filter((record) => record.kind === 'skipped').length;
    yield* page;
    if (page.length < pageSize) {
      return;
    }
    offset += page.length;
  }
}

/** The page's order ids in order (a skipped row's id as written, or its absence), as one comparable key. */
function orderIds(page: readonly ReportRecord[]): string {
  return page
    .map((record) =>
      record.kind === 'order' ? String(record.order.orderId) : (record.skipped.orderId ?? ''),
    )
    .join(',');
}

function pageOrThrow(result: TransportResult<ReportRecord[]>, baseUrl: string): ReportRecord[] {
  if (result.ok) {
    return result.value;
  }
  const { status, code } = result;
  const answer = `HTTP ${status}${code === null ? '' : ` ${code}`}`;
  throw new CertCentralError(
    status === 403
      ? `the API key may not read the order report (${answer}): give the key's user permission to view all orders`
      : `CertCentral has no order report at ${baseUrl} (${answer}): check the base URL`,
    { endpoint: 'report', status, code },
  );
}
