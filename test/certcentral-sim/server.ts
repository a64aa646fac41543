/**
 * A CertCentral simulator speaking real HTTP on 127.0.0.1: the four endpoints expiry-alerts uses, in the
 * vendor's formats, with its key check, its rate limit, and knobs that inject the failures a client meets
 * (429s, 5xx, a CDN's HTML page, reset connections, requests that never get an answer, latency).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { SimAccount, SimOrder } from './account.ts';
import { ApiError, orderNotFound, requestLimitExceeded, sendError, sendJson } from './answers.ts';
import { utcDate } from './dates.ts';
import { SimulatorInputError } from './errors.ts';
import { answerWithFault, type FaultKnobs, noFaults, takeFault } from './faults.ts';
import { duplicateList, orderInfo, subaccountOrderInfo } from './order-json.ts';
import { type RateWindow, RollingRateLimiter, VENDOR_RATE_WINDOWS } from './rate-limiter.ts';
import { reportPage } from './report-csv.ts';

export interface SimulatorOptions {
  account: SimAccount;
  /** The only `X-DC-DEVKEY` the simulator accepts. */
  apiKey: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The largest `limit` the report accepts (default 100,000, DigiCert's documented maximum). */
  maxPageSize?: number;
  /** Rolling windows per accepted request (default: DigiCert's), or false for none. */
  rateLimits?: { windows: readonly RateWindow[] } | false;
  /** Milliseconds since the epoch: rate-limit windows and `days_remaining` count from it. */
  now?: () => number;
  /** How `faults.latencyMs` is waited for. */
  sleep?: (ms: number) => Promise<void>;
  /** Called as each request arrives, before it is answered, with the count so far (kill trials hook in). */
  onRequest?: (total: number) => void;
}

/** Requests received. `report`, `order`, `subaccountOrder` and `duplicates` count those the endpoint answered. */
export interface CallCounters {
  report: number;
  order: number;
  subaccountOrder: number;
  duplicates: number;
  total: number;
  /** 429s sent, by the rate limit or by `faults.throttle`. */
  throttled: number;
  faultsInjected: number;
}

export interface Simulator {
  /** The API base, e.g. `http://127.0.0.1:PORT/services/v2`. */
  readonly url: string;
  readonly account: SimAccount;
  readonly calls: CallCounters;
  readonly faults: FaultKnobs;
  resetCounters(): void;
  close(): Promise<void>;
}

const BASE_PATH = '/services/v2';
const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_MAX_PAGE_SIZE = 100_000;
const WHOLE_NUMBER = /^\d+$/;
const ROUTES: readonly { pattern: RegExp; endpoint: Endpoint }[] = [
  { pattern: /^\/report\/order\/?$/, endpoint: 'report' },
  { pattern: /^\/order\/certificate\/([^/]+)\/duplicate\/?$/, endpoint: 'duplicates' },
  { pattern: /^\/order\/certificate\/([^/]+)\/?$/, endpoint: 'order' },
  { pattern: /^\/account\/subaccount\/order\/([^/]+)\/?$/, endpoint: 'subaccountOrder' },
];
type Endpoint = 'report' | 'order' | 'subaccountOrder' | 'duplicates';

const zeroCounters = (): CallCounters => ({
  report: 0,
  order: 0,
  subaccountOrder: 0,
  duplicates: 0,
  total: 0,
  throttled: 0,
  faultsInjected: 0,
});

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  if (options.apiKey.length === 0) throw new SimulatorInputError('apiKey: must not be empty');
  const maxPageSize = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) {
    throw new SimulatorInputError(
      `maxPageSize: ${JSON.stringify(maxPageSize)} is not a whole number above 0`,
    );
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SimulatorInputError(`port: ${JSON.stringify(port)} is not a port number (0-65535)`);
  }
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const limiter =
    options.rateLimits === false
      ? null
      : new RollingRateLimiter(options.rateLimits?.windows ?? VENDOR_RATE_WINDOWS);
  const { account, apiKey } = options;
  const calls = zeroCounters();
  const faults = noFaults();

  function authorise(request: IncomingMessage): void {
    const key = request.headers['x-dc-devkey'];
    if (key === undefined) {
      throw new ApiError(401, 'access_denied|missing_api_key', 'An API key is required (header X-DC-DEVKEY)');
    }
    if (key !== apiKey) {
      throw new ApiError(403, 'access_denied|access_denied_invalid_key', 'The API key is not valid');
    }
    if (limiter && !limiter.tryAcquire(now())) {
      calls.throttled += 1;
      throw requestLimitExceeded();
    }
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    authorise(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith(`${BASE_PATH}/`) ? url.pathname.slice(BASE_PATH.length) : null;
    const route = path === null ? undefined : ROUTES.find(({ pattern }) => pattern.test(path));
    if (!route || path === null) throw new ApiError(404, 'not_found', 'The requested resource was not found');
    if (request.method !== 'GET') {
      throw new ApiError(405, 'method_not_allowed', `${request.method} is not allowed on ${url.pathname}`);
    }
    const idText = route.pattern.exec(path)?.[1];
    const today = utcDate(now());
    calls[route.endpoint] += 1;
    switch (route.endpoint) {
      case 'report': {
        const limit = pageParameter(url, 'limit', DEFAULT_PAGE_SIZE, maxPageSize);
        const offset = pageParameter(url, 'offset', 0, null);
        response.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        await pipeline(Readable.from(reportPage(account.orders(), offset, limit)), response);
        return;
      }
      case 'order': {
        const order = orderOf(idText);
        if (order.subaccount) {
          throw order.subaccount.orderEndpointStatus === 403
            ? new ApiError(403, 'access_denied|missing_permission', 'Permission denied')
            : orderNotFound();
        }
        sendJson(response, 200, orderInfo(order, today));
        return;
      }
      case 'duplicates': {
        const order = orderOf(idText);
        if (order.subaccount) throw orderNotFound();
        sendJson(response, 200, duplicateList(order, today));
        return;
      }
      case 'subaccountOrder': {
        const order = orderOf(idText);
        if (!order.subaccount) throw orderNotFound();
        sendJson(response, 200, subaccountOrderInfo(order, order.subaccount));
        return;
      }
    }
  }

  function orderOf(idText: string | undefined): SimOrder {
    const order = idText && WHOLE_NUMBER.test(idText) ? account.find(Number(idText)) : undefined;
    if (!order) throw orderNotFound();
    return order;
  }

  const server = createServer((request, response) => {
    calls.total += 1;
    options.onRequest?.(calls.total);
    void (async () => {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const fault = takeFault(faults);
      if (fault === null) return answer(request, response);
      calls.faultsInjected += 1;
      if (fault === 'throttle') calls.throttled += 1;
      answerWithFault(fault, faults, request, response);
    })().catch((error: unknown) => {
      if (error instanceof ApiError) sendError(response, error);
      else if (!response.headersSent)
        sendError(response, new ApiError(500, 'internal_error', 'Internal error'));
      else response.destroy();
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: boundPort } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${boundPort}${BASE_PATH}`,
    account,
    calls,
    faults,
    resetCounters: () => Object.assign(calls, zeroCounters()),
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** `limit` (1 to `max`) or `offset` (`max` null: 0 or more). */
function pageParameter(url: URL, name: string, fallback: number, max: number | null): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  const min = max === null ? 0 : 1;
  if (!WHOLE_NUMBER.test(text) || value < min || (max !== null && value > max)) {
    const range = max === null ? 'of 0 or more' : `from 1 to ${max}`;
    throw new ApiError(
      400,
      'bad_request_format',
      `${name}: ${JSON.stringify(text)} is not a whole number ${range}`,
    );
  }
  return value;
}
