/**
 * Every way the echoing server can misbehave, each with the key it received put back into the answer, and what
 * the scan must say about it. The local command (`test/integration/hostile-servers.test.ts`) and the Lambda
 * handlers (`test/integration/handlers/hostile-servers.test.ts`) are driven through the same cases.
 */

import { SEED_COLUMNS } from '../unit/certcentral/support/report-csv.ts';
import {
  csvAnswer,
  ECHO_ORDER_ID,
  type EchoAnswer,
  type EchoEndpoint,
  echoOrder,
  echoRow,
  jsonAnswer,
} from './echoing-server.ts';

export interface HostileCase {
  name: string;
  /** Which request misbehaves: the report fails the scan, an order detail fails its candidate. */
  stage: 'report' | 'detail' | 'data';
  answers: Partial<Record<EchoEndpoint, EchoAnswer>>;
  /** The local command's exit code. */
  exitCode: 0 | 1 | 2;
  /** What the scan says (on stderr, and in the Lambda's log), with `{url}` for the server's base URL. */
  says: string[];
  /** The server hangs: the client runs with a short timeout and budget so that the test does not wait. */
  hangs?: boolean;
  flags?: string[];
  /** The same settings as `flags`, for the Lambda functions. */
  lambdaEnv?: Record<string, string>;
}

const vendor =
  (status: number, code: string, message: string, headers: Record<string, string> = {}): EchoAnswer =>
  (context) =>
    jsonAnswer(
      status,
      {
        errors: [
          { code: code.replaceAll('{key}', context.key), message: message.replaceAll('{key}', context.key) },
        ],
      },
      Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, value.replaceAll('{key}', context.key)]),
      ),
    )(context);

const htmlPage =
  (status: number, title: string): EchoAnswer =>
  ({ key, response }) => {
    const page = `<!DOCTYPE html>\n<html><head><title>${title.replaceAll('{key}', key)}</title></head>\n<body><p>Your key ${key} was logged.</p></body></html>`;
    response.writeHead(status, { 'Content-Type': `text/html; session=${key}`, 'X-Echo': key }).end(page);
  };

/** The key written out as JSON `\u` escapes: `JSON.parse` turns it back into the key. */
const escaped = (key: string): string =>
  [...key].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

const hang: EchoAnswer = () => {};

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'a 400 whose code and message hold the key',
    stage: 'report',
    answers: { report: vendor(400, 'bad_request_format|{key}', 'X-DC-DEVKEY {key} is malformed') },
    exitCode: 1,
    says: [
      'CertCentral report request was refused: HTTP 400 bad_request_format|[redacted]: X-DC-DEVKEY [redacted] is malformed',
    ],
  },
  {
    name: 'a 403 whose code holds the key',
    stage: 'report',
    answers: { report: vendor(403, 'access_denied|{key}', 'no') },
    exitCode: 1,
    says: ['the API key may not read the order report (HTTP 403 access_denied|[redacted])'],
  },
  {
    name: 'a 404 whose code holds the key',
    stage: 'report',
    answers: { report: vendor(404, 'not_found|{key}', 'no') },
    exitCode: 1,
    says: ['CertCentral has no order report at {url} (HTTP 404 not_found|[redacted]): check the base URL'],
  },
  {
    name: 'the key refused, and echoed in the message',
    stage: 'report',
    answers: { report: vendor(403, 'access_denied|access_denied_invalid_key', 'Invalid API key {key}') },
    exitCode: 2,
    says: ['CertCentral refused the API key (HTTP 403 access_denied|access_denied_invalid_key)'],
  },
  {
    name: 'a 401 with the key in a header and in the body',
    stage: 'report',
    answers: {
      report: ({ key, response }) => {
        response.writeHead(401, { 'WWW-Authenticate': `DevKey realm="${key}"` }).end(`bad key ${key}`);
      },
    },
    exitCode: 2,
    says: ['CertCentral refused the API key (HTTP 401)'],
  },
  {
    name: 'a 503 to the end, with the key in the code, the message and Retry-After',
    stage: 'report',
    answers: {
      report: vendor(503, 'service_unavailable|{key}', 'down for {key}', { 'Retry-After': '{key}' }),
    },
    exitCode: 1,
    says: [
      'waiting 8 s before retry 5 of 7 of the CertCentral report request (HTTP 503 service_unavailable|[redacted])',
      'CertCentral report request failed after 8 attempts in 46 s: HTTP 503 service_unavailable|[redacted]: down for [redacted]',
    ],
  },
  {
    name: 'a 429 to the end, with the key in the code',
    stage: 'report',
    answers: {
      report: vendor(429, 'request_limit_exceeded|{key}', 'slow down, {key}', { 'Retry-After': '7' }),
    },
    exitCode: 1,
    says: [
      'waiting 7 s before retry 1 of 7 of the CertCentral report request (HTTP 429 request_limit_exceeded|[redacted])',
      'CertCentral report request failed after 8 attempts in 49 s: HTTP 429 request_limit_exceeded|[redacted]: slow down, [redacted]',
    ],
  },
  {
    name: "a CDN's HTML 502 page holding the key, to the end",
    stage: 'report',
    answers: { report: htmlPage(502, 'Bad gateway for {key}') },
    exitCode: 1,
    says: [
      'CertCentral report request failed after 8 attempts in ',
      'HTTP 502 with an HTML page titled "Bad gateway for [redacted]" (text/html; session=[redacted], ',
    ],
  },
  {
    name: 'a redirect to a URL holding the key',
    stage: 'report',
    answers: {
      report: ({ key, base, response }) => {
        response.writeHead(302, { Location: `${base}/${key}/login?key=${key}` }).end(`see ${key}`);
      },
    },
    exitCode: 1,
    says: [
      'CertCentral report request was redirected (HTTP 302) to {url}/[redacted]/login: check the base URL',
    ],
  },
  {
    name: 'an HTML page with status 200, holding the key',
    stage: 'report',
    answers: { report: htmlPage(200, 'Welcome {key}') },
    exitCode: 1,
    says: [
      'CertCentral report answered HTTP 200 with an HTML page titled "Welcome [redacted]" (text/html; session=[redacted], ',
      'not CSV: check the base URL',
    ],
  },
  {
    name: 'an empty body with status 200',
    stage: 'report',
    answers: {
      report: ({ key, response }) => {
        response.writeHead(200, { 'Content-Type': 'text/csv', 'X-Echo': key }).end();
      },
    },
    exitCode: 1,
    says: ['CertCentral report answered HTTP 200 with an empty body, not CSV: check the base URL'],
  },
  {
    name: 'JSON with status 200, holding the key',
    stage: 'report',
    answers: { report: (context) => jsonAnswer(200, { orders: [], key: context.key })(context) },
    exitCode: 1,
    says: ['CertCentral report answered HTTP 200 with JSON (application/json, '],
  },
  {
    name: 'a CSV header made of the key',
    stage: 'report',
    answers: {
      report: ({ key, response }) => {
        response.writeHead(200, { 'Content-Type': 'text/csv' }).end(`${key},"${key}-2"\n"1","2"\n`);
      },
    },
    exitCode: 1,
    says: [
      "CertCentral report answered HTTP 200 with a text/csv body whose first line is not the order report's header",
    ],
  },
  {
    name: 'the same page again and again (the offset ignored), with the key in its cells',
    stage: 'report',
    answers: {
      report: (context) =>
        csvAnswer([
          echoRow({ order_id: '1', common_name: context.key }),
          echoRow({ order_id: '2', organization_name: context.key }),
        ])(context),
    },
    flags: ['--page-size', '2'],
    lambdaEnv: { REPORT_PAGE_SIZE: '2' },
    exitCode: 1,
    says: [
      'CertCentral answered report page 2 (offset 2) with the same 2 rows as page 1: the server ignores the offset',
    ],
  },
  {
    name: 'new orders on every page, forever',
    stage: 'report',
    answers: {
      report: (context) => {
        const first = Number(context.url.searchParams.get('offset')) + 1;
        csvAnswer([
          echoRow({ order_id: String(first), common_name: context.key }),
          echoRow({ order_id: String(first + 1), common_name: context.key }),
        ])(context);
      },
    },
    flags: ['--page-size', '2', '--max-report-rows', '6'],
    lambdaEnv: { REPORT_PAGE_SIZE: '2', MAX_REPORT_ROWS: '6' },
    exitCode: 1,
    says: [
      'the order report passed 6 rows (page 4 ends at row 8): stopped, in case the server pages forever. Raise the report row cap (--max-report-rows, or MAX_REPORT_ROWS for the scan function)',
    ],
  },
  {
    name: 'no answer at all',
    stage: 'report',
    answers: { report: hang },
    hangs: true,
    exitCode: 1,
    says: [
      'no complete answer from CertCentral at {url}/report/order?limit=1000&offset=0 within 50 ms; gave up after ',
    ],
  },
  {
    name: 'the headers and part of a body holding the key, then nothing',
    stage: 'report',
    answers: {
      report: ({ key, response }) => {
        response
          .writeHead(200, { 'Content-Type': 'text/csv', 'X-Echo': key })
          .write(`${SEED_COLUMNS.join(',')}\n"1","${key}`);
      },
    },
    hangs: true,
    exitCode: 1,
    says: [
      'no complete answer from CertCentral at {url}/report/order?limit=1000&offset=0 within 50 ms; gave up after ',
    ],
  },
  {
    name: 'the connection dropped in the middle of a body holding the key',
    stage: 'report',
    answers: {
      report: ({ key, response }) => {
        response.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': '100000' });
        response.write(`${SEED_COLUMNS.join(',')}\n"1","${key}`, () => response.socket?.destroy());
      },
    },
    exitCode: 1,
    says: ['cannot reach CertCentral at {url}: ', '; gave up after 8 attempts in '],
  },
  {
    name: 'report cells holding the key: an alert, a skipped row, a value cut short',
    stage: 'data',
    answers: {
      report: (context) =>
        csvAnswer(
          context.url.searchParams.get('offset') === '0'
            ? [
                echoRow({ common_name: context.key, organization_name: context.key }),
                echoRow({ order_id: context.key }),
                echoRow({ order_id: '424243', valid_till: `${'x'.repeat(50)}${context.key}` }),
              ]
            : [],
        )(context),
      order: (context) =>
        jsonAnswer(
          200,
          echoOrder(context.orderId ?? ECHO_ORDER_ID, {
            organization: { name: `${context.key} Inc.` },
            container: { name: context.key },
          }),
        )(context),
    },
    exitCode: 0,
    says: ['order_id: \\"[redacted]\\" is not a positive integer'],
  },
  {
    name: 'an order detail holding the key in every field',
    stage: 'data',
    answers: {
      order: (context) => {
        const { key } = context;
        jsonAnswer(
          200,
          echoOrder(context.orderId ?? ECHO_ORDER_ID, {
            certificate: {
              common_name: key,
              dns_names: [key, `${key}.example.com`],
              valid_till: '2026-11-28',
            },
            organization: { name: key },
            container: { name: key },
            product: { name_id: key, name: key, type: key },
            technical_contact: { first_name: key, last_name: key, email: `${key}@example.com` },
          }),
        )(context);
      },
    },
    exitCode: 0,
    says: [],
  },
  {
    name: 'an order detail refused with a 400 holding the key',
    stage: 'detail',
    answers: { order: vendor(400, 'invalid_order|{key}', 'order for {key}') },
    exitCode: 1,
    says: ['CertCentral order request was refused: HTTP 400 invalid_order|[redacted]: order for [redacted]'],
  },
  {
    name: 'an order detail that does not fit, quoting the key',
    stage: 'detail',
    answers: { order: (context) => jsonAnswer(200, echoOrder(ECHO_ORDER_ID, { id: context.key }))(context) },
    exitCode: 1,
    says: [
      'CertCentral order response does not fit the expected shape: id: \\"[redacted]\\" is not a positive integer',
    ],
  },
  {
    name: 'an order detail that does not fit, quoting the key written in JSON escapes',
    stage: 'detail',
    answers: {
      order: ({ key, response }) => {
        const body = JSON.stringify(echoOrder(ECHO_ORDER_ID, { status: 'ESCAPED' })).replace(
          '"status":"ESCAPED"',
          `"status":{"note":"${escaped(key)}"}`,
        );
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      },
    },
    exitCode: 1,
    says: ['status: {\\"note\\":\\"[redacted]\\"} is not a string'],
  },
  {
    name: 'an HTML order page with status 200, holding the key',
    stage: 'detail',
    answers: { order: htmlPage(200, 'Portal {key}') },
    exitCode: 1,
    says: ['CertCentral order answered HTTP 200 with an HTML page titled \\"Portal [redacted]\\"'],
  },
  {
    name: 'an empty order detail',
    stage: 'detail',
    answers: {
      order: ({ response }) => {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end();
      },
    },
    exitCode: 1,
    says: ['CertCentral order answered HTTP 200 with an empty body, not JSON: check the base URL'],
  },
  {
    name: 'a duplicates listing refused with a 403 whose code holds the key',
    stage: 'detail',
    answers: { duplicates: vendor(403, 'access_denied|{key}', 'no') },
    // Not a failure: the order's own certificate is still announced, and the refusal said.
    exitCode: 0,
    says: ['the API key may not list the duplicates of this order (HTTP 403)'],
  },
  {
    name: 'a duplicates listing that does not fit, quoting the key',
    stage: 'detail',
    answers: {
      duplicates: (context) =>
        jsonAnswer(200, { certificates: [{ id: 5, status: 'issued', valid_till: context.key }] })(context),
    },
    exitCode: 1,
    says: ['certificates.0.valid_till: \\"[redacted]\\"'],
  },
  {
    name: 'an order not found, then the subaccount endpoint failing with the key to the end',
    stage: 'detail',
    answers: {
      order: vendor(404, 'not_found|{key}', 'no'),
      subaccountOrder: vendor(500, 'internal_error|{key}', 'crashed on {key}'),
    },
    exitCode: 1,
    says: [
      'CertCentral subaccountOrder request failed after ',
      'HTTP 500 internal_error|[redacted]: crashed on [redacted]',
    ],
  },
  {
    name: 'an order detail that never answers',
    stage: 'detail',
    answers: { order: hang },
    hangs: true,
    exitCode: 1,
    says: [`no complete answer from CertCentral at {url}/order/certificate/${ECHO_ORDER_ID} within 50 ms`],
  },
];
