/**
 * A hostile CertCentral: a real local HTTP server that takes the API key each request carries and puts it back
 * wherever an answer can hold text (error codes and messages, JSON fields, CSV cells and headers, HTTP headers,
 * redirect targets, HTML pages). Each endpoint answers healthily until a test scripts it otherwise, so one
 * misbehaving endpoint can be driven through the whole scan.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reportCsv } from '../unit/certcentral/support/report-csv.ts';

export type EchoEndpoint = 'report' | 'order' | 'subaccountOrder' | 'duplicates';

export interface EchoRequest {
  /** The X-DC-DEVKEY the client sent. */
  key: string;
  endpoint: EchoEndpoint;
  url: URL;
  request: IncomingMessage;
  response: ServerResponse;
  /** The order id in the path of a detail request; null for the report. */
  orderId: number | null;
  /** How many requests this endpoint has had before this one. */
  seen: number;
  /** The base URL of this server, to build redirects. */
  base: string;
}

export type EchoAnswer = (request: EchoRequest) => void;

export interface EchoingServer {
  /** The base URL to configure: `http://127.0.0.1:PORT/services/v2`. */
  url: string;
  /** How each endpoint answers from now on (endpoints left out answer healthily); the counts start again. */
  script(answers: Partial<Record<EchoEndpoint, EchoAnswer>>): void;
  /** Every key the server was sent. */
  keysSeen: Set<string>;
  /** Requests since the last `script`, to one endpoint or to all. */
  requests(endpoint?: EchoEndpoint): number;
  close(): Promise<void>;
}

/** The one order of the healthy report: issued, expiring 5 days after `ECHO_NOW`, with duplicates to list. */
export const ECHO_ORDER_ID = 424242;
export const ECHO_NOW = '2026-11-23T06:00:00Z';
const VALID_FROM = '2025-11-28';
const VALID_TILL = '2026-11-28';

const orderFixture = JSON.parse(
  readFileSync(new URL('../fixtures/certcentral/order-issued.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** A report row of an issued order, healthy unless `overrides` say otherwise. */
export function echoRow(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    order_id: String(ECHO_ORDER_ID),
    status: 'issued',
    common_name: 'shop.example.com',
    dns_names: 'shop.example.com,www.shop.example.com',
    valid_from: VALID_FROM,
    valid_till: VALID_TILL,
    has_duplicates: '1',
    is_renewed: '0',
    renewed_order_id: '',
    auto_renew: '0',
    disable_renewal_notifications: '0',
    ...overrides,
  };
}

/** The order detail of `orderId`, healthy unless `overrides` say otherwise (merged into the top level). */
export function echoOrder(orderId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...orderFixture,
    id: orderId,
    certificate: {
      ...(orderFixture.certificate as object),
      common_name: 'shop.example.com',
      dns_names: ['shop.example.com', 'www.shop.example.com'],
      valid_from: VALID_FROM,
      valid_till: VALID_TILL,
    },
    ...overrides,
  };
}

export const csvAnswer =
  (rows: Record<string, string>[], headers: Record<string, string> = {}): EchoAnswer =>
  ({ response }) => {
    response.writeHead(200, { 'Content-Type': 'text/csv', ...headers }).end(reportCsv(rows));
  };

export const jsonAnswer =
  (status: number, body: unknown, headers: Record<string, string> = {}): EchoAnswer =>
  ({ response }) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

const HEALTHY: Record<EchoEndpoint, EchoAnswer> = {
  report: (context) => csvAnswer(context.url.searchParams.get('offset') === '0' ? [echoRow()] : [])(context),
  order: (context) => jsonAnswer(200, echoOrder(context.orderId ?? ECHO_ORDER_ID))(context),
  subaccountOrder: jsonAnswer(404, { errors: [{ code: 'not_found', message: 'Not found' }] }),
  duplicates: jsonAnswer(200, { certificates: [] }),
};

function endpointOf(path: string): { endpoint: EchoEndpoint; orderId: number | null } | null {
  const match =
    /\/services\/v2\/(?:(report\/order)|order\/certificate\/(\d+)(\/duplicate)?|account\/subaccount\/order\/(\d+))$/.exec(
      path,
    );
  if (match === null) return null;
  if (match[1]) return { endpoint: 'report', orderId: null };
  if (match[2]) return { endpoint: match[3] ? 'duplicates' : 'order', orderId: Number(match[2]) };
  return { endpoint: 'subaccountOrder', orderId: Number(match[4]) };
}

export async function startEchoingServer(): Promise<EchoingServer> {
  let answers: Partial<Record<EchoEndpoint, EchoAnswer>> = {};
  const counts: Record<EchoEndpoint, number> = { report: 0, order: 0, subaccountOrder: 0, duplicates: 0 };
  const keysSeen = new Set<string>();
  let base = '';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const key = String(request.headers['x-dc-devkey'] ?? '');
    keysSeen.add(key);
    const route = endpointOf(url.pathname);
    if (route === null) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no such path; your key is ${key}`);
      return;
    }
    const seen = counts[route.endpoint]++;
    const answer = answers[route.endpoint] ?? HEALTHY[route.endpoint];
    answer({ key, endpoint: route.endpoint, url, request, response, orderId: route.orderId, seen, base });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/services/v2`;
  return {
    url: base,
    script: (next) => {
      answers = next;
      for (const endpoint of Object.keys(counts) as EchoEndpoint[]) counts[endpoint] = 0;
    },
    keysSeen,
    requests: (endpoint) =>
      endpoint === undefined
        ? Object.values(counts).reduce((sum, count) => sum + count, 0)
        : counts[endpoint],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Every run of `length` characters of `secret` found in `text`: a leak, even of part of the key. */
export function keyFragments(text: string, secret: string, length = 8): string[] {
  const found = new Set<string>();
  for (let start = 0; start + length <= secret.length; start++) {
    const fragment = secret.slice(start, start + length);
    if (text.includes(fragment)) found.add(fragment);
  }
  return [...found];
}
