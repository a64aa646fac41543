import type { ReportRecord } from '../core/model.ts';
import { CertCentralError } from './errors.ts';
import type { HttpTransport, TransportResult } from './http-transport.ts';
import { readReportPage } from './report-page.ts';
import type { StatsCounter } from './stats.ts';

export interface ReportStreamOptions {
  transport: HttpTransport;
  pageSize: number;
  stats: StatsCounter;
}

/**
 * Every record of `GET /report/order`, page by page (`limit`/`offset`), until a page comes back shorter than
 * `pageSize`. Each page is read whole before its records are yielded, so a page whose body fails midway is
 * fetched again without yielding a record twice.
 */
export async function* streamReport({
  transport,
  pageSize,
  stats,
}: ReportStreamOptions): AsyncGenerator<ReportRecord> {
  for (let offset = 0; ; ) {
    const result = await transport.get({
      endpoint: 'report',
      path: '/report/order',
      query: { limit: String(pageSize), offset: String(offset) },
      json: false,
      read: (response, signal) => readReportPage(response.body, offset + 1, signal),
    });
    const page = pageOrThrow(result);
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

function pageOrThrow(result: TransportResult<ReportRecord[]>): ReportRecord[] {
  if (result.ok) {
    return result.value;
  }
  const { status, code } = result;
  const answer = `HTTP ${status}${code === null ? '' : ` ${code}`}`;
  throw new CertCentralError(
    status === 403
      ? `the API key may not read the order report (${answer}): give the key's user permission to view all orders`
      : `CertCentral has no order report at this base URL (${answer}): check the base URL`,
    { endpoint: 'report', status, code },
  );
}
