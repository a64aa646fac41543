import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CertCentralClient } from '../../../functions/certcentral/certcentral-client.ts';
import { CertCentralError, CertCentralKeyRefusedError } from '../../../functions/certcentral/errors.ts';
import type { ReportOrder, ReportRecord } from '../../../functions/core/model.ts';
import { fakeTime } from './support/fake-time.ts';
import {
  cutOff,
  type Handler,
  type LocalServer,
  startLocalServer,
  text,
  vendorError,
} from './support/local-server.ts';
import { orderRows, quote, reportCsv, reportLine, SEED_COLUMNS } from './support/report-csv.ts';

const API_KEY = 'dc-test-key-NEVER-LOG-7f3a9c';
const SEED_CSV = readFileSync(new URL('../../fixtures/certcentral/report-seed.csv', import.meta.url), 'utf8');

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function clientFor(pageSize: number, timeoutMs?: number, maxReportRows?: number) {
  const time = fakeTime();
  return new CertCentralClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    pageSize,
    timeoutMs,
    maxReportRows,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
  });
}

async function readAll(client: CertCentralClient): Promise<ReportRecord[]> {
  const records: ReportRecord[] = [];
  for await (const record of client.records()) {
    records.push(record);
  }
  return records;
}

const orders = (records: ReportRecord[]): ReportOrder[] =>
  records.flatMap((record) => (record.kind === 'order' ? [record.order] : []));

const csv = (body: string): Handler => text(200, body, 'text/csv');

/** Serves `rows` the way CertCentral pages them, honouring `limit` and `offset`. */
function pagedReport(rows: Record<string, string>[]): Handler {
  return (request, response) => {
    const query = new URL(request.url ?? '', 'http://localhost').searchParams;
    const offset = Number(query.get('offset'));
    const limit = Number(query.get('limit'));
    response
      .writeHead(200, { 'Content-Type': 'text/csv' })
      .end(reportCsv(rows.slice(offset, offset + limit)));
  };
}

const pageQueries = () => server.requests.map((request) => new URL(request.path, 'http://localhost').search);

describe('CertCentralClient.records paging', () => {
  it('pages with limit and offset and stops after the first short page', async () => {
    const client = clientFor(1_000);
    server.answer(pagedReport(orderRows(2_500)));

    const records = await readAll(client);

    expect(pageQueries()).toEqual([
      '?limit=1000&offset=0',
      '?limit=1000&offset=1000',
      '?limit=1000&offset=2000',
    ]);
    expect(orders(records).map((order) => order.orderId)).toEqual(
      Array.from({ length: 2_500 }, (_, i) => i + 1),
    );
    expect(client.stats()).toMatchObject({ pages: 3, rows: 2_500, skippedRows: 0, calls: { report: 3 } });
  });

  it('asks for one more page, which comes back empty, when the report is an exact multiple of the page size', async () => {
    const client = clientFor(100);
    server.answer(pagedReport(orderRows(200)));

    const records = await readAll(client);

    expect(pageQueries()).toEqual(['?limit=100&offset=0', '?limit=100&offset=100', '?limit=100&offset=200']);
    expect(records).toHaveLength(200);
  });

  it('stops on an empty body past the last row', async () => {
    const client = clientFor(2);
    server.answer(csv(reportCsv(orderRows(2))), csv(''));

    const records = await readAll(client);

    expect(records).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('fetches again a page whose body is cut off midway, without yielding any row twice', async () => {
    const client = clientFor(3);
    const firstPage = reportCsv(orderRows(3));
    server.answer(cutOff(firstPage, firstPage.length - 40), csv(firstPage), csv(reportCsv(orderRows(2, 4))));

    const records = await readAll(client);

    expect(orders(records).map((order) => order.orderId)).toEqual([1, 2, 3, 4, 5]);
    expect(client.stats()).toMatchObject({ pages: 2, rows: 5, retries: 1, calls: { report: 3 } });
  });
  it('fetches again a page whose body stalls past the timeout, without yielding any row twice', async () => {
    const client = clientFor(3, 200);
    const firstPage = reportCsv(orderRows(3));
    const stall: Handler = (_request, response) => {
      response
        .writeHead(200, { 'Content-Type': 'text/csv' })
        .write(firstPage.slice(0, firstPage.length - 40));
    };
    server.answer(stall, csv(firstPage), csv(reportCsv([])));

    const records = await readAll(client);

    expect(orders(records).map((order) => order.orderId)).toEqual([1, 2, 3]);
    expect(client.stats()).toMatchObject({ pages: 2, rows: 3, retries: 1 });
  });
});

describe('CertCentralClient.records parsing', () => {
  it('reads the seed example: quoted values, a multi-line csr, and nothing of the csr kept', async () => {
    const client = clientFor(1_000);
    server.answer(csv(SEED_CSV));

    const records = await readAll(client);

    expect(
      orders(records).map(({ orderId, validTill, hasDuplicates, product }) => [
        orderId,
        validTill,
        hasDuplicates,
        product.nameId,
      ]),
    ).toEqual([
      [123456, '2020-10-30', false, 'ssl_plus'],
      [123455, '2020-11-20', false, 'ssl_plus'],
      [123454, '2020-11-20', true, 'ssl_wildcard'],
    ]);
    expect(JSON.stringify(records)).not.toContain('CERTIFICATE REQUEST');
  });

  it('undoubles quotes inside values', async () => {
    const client = clientFor(1_000);
    server.answer(csv(reportCsv([{ organization_name: 'The "Real" Organization, Inc.' }])));

    const [order] = orders(await readAll(client));

    expect(order?.organizationName).toBe('The "Real" Organization, Inc.');
  });

  it('reads past a metadata value made of 0x1f-separated fields', async () => {
    const client = clientFor(1_000);
    const metadata = ['12', 'Invoice #', '123456', '13', 'Cost centre', 'R&D, "Lab" 4'].join('\x1f');
    server.answer(csv(reportCsv([{ metadata, has_duplicates: '1' }])));

    const [order] = orders(await readAll(client));

    expect(order?.hasDuplicates).toBe(true);
  });

  it('reads columns by header name, whatever their order, with extra columns and optional ones missing', async () => {
    const client = clientFor(1_000);
    const columns = [
      'has_duplicates',
      'number_of_sans',
      ...SEED_COLUMNS.filter(
        (column) => !['has_duplicates', 'tech_email', 'container_id'].includes(column),
      ).reverse(),
    ];
    server.answer(csv(reportCsv([{ number_of_sans: '3', has_duplicates: '1' }], columns)));

    const [order] = orders(await readAll(client));

    expect(order).toMatchObject({
      orderId: 123456,
      hasDuplicates: true,
      containerId: null,
      technicalContact: null,
    });
    expect(order?.validTill).toBe('2020-10-30');
  });

  it('fails at once, naming the column, when the header lacks a column the rules need', async () => {
    const client = clientFor(1_000);
    const columns = SEED_COLUMNS.filter((column) => column !== 'valid_till');
    server.answer(csv(reportCsv(orderRows(2), columns)));

    const error = await readAll(client).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CertCentralError);
    expect(error).toMatchObject({ code: 'missing_column', endpoint: 'report' });
    expect((error as Error).message).toBe('the order report has no "valid_till" column');
    expect(server.requests).toHaveLength(1);
  });

  it('skips and counts a malformed record, a short row, a long row and an invalid value, and reads every other row', async () => {
    const client = clientFor(1_000);
    const fine = (orderId: number) => reportLine({ order_id: String(orderId) });
    const malformed = reportLine({ order_id: '2' }).replace(quote('example.com'), '"example"com"');
    const short = [quote('3'), quote(''), quote('2018-10-26 10:15:33')].join(',');
    const body = [
      SEED_COLUMNS.join(','),
      fine(1),
      malformed,
      short,
      fine(4),
      reportLine({ order_id: '5', valid_till: '2026-13-45' }),
      fine(6),
      `${reportLine({ order_id: '7' })},"surplus"`,
      '',
    ].join('\n');
    server.answer(csv(body));

    const records = await readAll(client);

    expect(orders(records).map((order) => order.orderId)).toEqual([1, 4, 6]);
    expect(records.filter((record) => record.kind === 'skipped').map((record) => record.skipped)).toEqual([
      { row: 2, orderId: null, reason: 'malformed CSV record (CSV_INVALID_CLOSING_QUOTE)' },
      { row: 3, orderId: '3', reason: `has 3 fields where the header has ${SEED_COLUMNS.length} columns` },
      { row: 5, orderId: '5', reason: 'valid_till: "2026-13-45" is not a yyyy-MM-dd date' },
      {
        row: 7,
        orderId: '7',
        reason: `has ${SEED_COLUMNS.length + 1} fields where the header has ${SEED_COLUMNS.length} columns`,
      },
    ]);
    expect(client.stats()).toMatchObject({ rows: 7, skippedRows: 4 });
  });

  it('numbers skipped rows across the whole report, not within the page', async () => {
    const client = clientFor(2);
    server.answer(
      csv(reportCsv(orderRows(2))),
      csv(reportCsv([{ order_id: '3' }, { order_id: '4', is_renewed: 'maybe' }])),
      csv(reportCsv([])),
    );

    const records = await readAll(client);

    expect(records.find((record) => record.kind === 'skipped')).toEqual({
      kind: 'skipped',
      skipped: { row: 4, orderId: '4', reason: 'is_renewed: "maybe" is not 0 or 1' },
    });
  });
});

describe('CertCentralClient.records refusals', () => {
  it('fails at once when the key is refused', async () => {
    const client = clientFor(1_000);
    server.answer(vendorError(403, 'access_denied|access_denied_invalid_key', 'Invalid API key'));

    await expect(readAll(client)).rejects.toBeInstanceOf(CertCentralKeyRefusedError);
    expect(server.requests).toHaveLength(1);
  });

  it('fails, saying the key lacks permission, on any other 403', async () => {
    const client = clientFor(1_000);
    server.answer(vendorError(403, 'access_denied|missing_permission', 'Permission denied'));

    const error = await readAll(client).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CertCentralError);
    expect(error).not.toBeInstanceOf(CertCentralKeyRefusedError);
    expect((error as Error).message).toBe(
      "the API key may not read the order report (HTTP 403 access_denied|missing_permission): give the key's user permission to view all orders",
    );
  });
});

describe('CertCentralClient.records against a server that would page forever', () => {
  it('fails on the page that repeats the order ids of the page before it (an ignored offset)', async () => {
    const client = clientFor(2);
    server.answer(csv(reportCsv(orderRows(2))));

    const error = await readAll(client).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CertCentralError);
    expect(error).toMatchObject({
      code: 'report_loop',
      message:
        'CertCentral answered report page 2 (offset 2) with the same 2 rows as page 1: the server ignores the ' +
        'offset and would page forever; stopped',
    });
    expect(server.requests).toHaveLength(2);
  });

  it('fails when the rows pass the cap, without yielding a row past it', async () => {
    const client = clientFor(2, undefined, 5);
    let next = 1;
    server.answer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/csv' }).end(reportCsv(orderRows(2, next)));
      next += 2;
    });

    const yielded: ReportRecord[] = [];
    const error = await (async () => {
      for await (const record of client.records()) yielded.push(record);
    })().catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      code: 'too_many_rows',
      message: expect.stringMatching(
        /^the order report passed 5 rows \(page 3 ends at row 6\): stopped, in case the server pages forever\. Raise the report row cap \(--max-report-rows/,
      ),
    });
    expect(yielded).toHaveLength(4);
  });

  it('reads on when a page overlaps the one before it only in part (an order added between two pages)', async () => {
    const client = clientFor(2);
    server.answer(
      csv(reportCsv(orderRows(2, 1))),
      csv(reportCsv(orderRows(2, 2))),
      csv(reportCsv(orderRows(1, 4))),
    );

    const records = await readAll(client);

    expect(orders(records).map((order) => order.orderId)).toEqual([1, 2, 2, 3, 4]);
  });
});

describe('CertCentralClient.records says what came instead of CSV', () => {
  const login =
    '<!DOCTYPE html>\n<html><head><title>Corporate proxy: sign in</title></head><body></body></html>';

  it.each([
    ['an empty first page', csv(''), 'an empty body'],
    ['a blank first page', text(200, '\n\n', 'text/csv'), 'a blank body (text/csv, 2 bytes)'],
    [
      'an HTML page with status 200',
      text(200, login),
      `an HTML page titled "Corporate proxy: sign in" (text/html, ${login.length} bytes)`,
    ],
    [
      'HTML sent as CSV',
      text(200, `  ${login}`, 'text/csv'),
      'an HTML page titled "Corporate proxy: sign in" (text/csv',
    ],
    ['JSON', text(200, '{"errors":[]}', 'application/json'), 'JSON (application/json, 13 bytes)'],
  ])('%s', async (_case, answer, received) => {
    const client = clientFor(1_000);
    server.answer(answer);

    const error = await readAll(client).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CertCentralError);
    expect(error).toMatchObject({ code: 'invalid_response', endpoint: 'report', status: 200 });
    expect((error as Error).message).toContain(`CertCentral report answered HTTP 200 with ${received}`);
    expect((error as Error).message).toMatch(/not CSV: check the base URL$/);
    expect(server.requests).toHaveLength(1);
  });

  it('a text body whose first line is no report header', async () => {
    const client = clientFor(1_000);
    server.answer(text(200, 'Service temporarily unavailable\n', 'text/plain'));

    const error = await readAll(client).catch((caught: unknown) => caught);

    expect((error as Error).message).toBe(
      "CertCentral report answered HTTP 200 with a text/plain body whose first line is not the order report's " +
        'header (no "order_id" column, nor any other the alerts need): check the base URL',
    );
  });
});

describe('CertCentralClient.records keeps the key out of what it yields', () => {
  it('in values, in skipped-row reasons, and where a quoted value is cut short', async () => {
    const client = clientFor(1_000);
    server.answer(
      csv(
        reportCsv([
          { order_id: '1', common_name: API_KEY, dns_names: `${API_KEY}.example.com` },
          { order_id: API_KEY },
          { order_id: '3', valid_till: `${'x'.repeat(50)}${API_KEY}` },
        ]),
      ),
    );

    const records = await readAll(client);

    expect(JSON.stringify(records)).not.toContain(API_KEY.slice(0, 8));
    expect(orders(records)[0]).toMatchObject({
      commonName: '[redacted]',
      dnsNames: ['[redacted].example.com'],
    });
    expect(
      records.filter((record) => record.kind === 'skipped').map((record) => record.skipped.reason),
    ).toEqual([
      'order_id: "[redacted]" is not a positive integer',
      `valid_till: "${'x'.repeat(50)}[redacted… is not a yyyy-MM-dd date`,
    ]);
  });
});
