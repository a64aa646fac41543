import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, parseBaseUrl } from '../core/config.ts';
import type { DuplicateCertificate, OrderDetail, OrderLookup, ReportRecord } from '../core/model.ts';
import type { OrderDetailSource, ReportSource } from '../core/ports.ts';
import { DEFAULT_RETRY, type RetryOptions, RetryPolicy } from './backoff.ts';
import { toDuplicates, toOrderDetail, toSubaccountOrderDetail } from './detail-schemas.ts';
import { CertCentralError, type Endpoint } from './errors.ts';
import { HttpTransport } from './http-transport.ts';
import {
  DEFAULT_MARGIN_MS,
  DIGICERT_RATE_LIMITS,
  type RateWindow,
  SlidingWindowRateLimiter,
} from './rate-limiter.ts';
import { streamReport } from './report-stream.ts';
import { type CertCentralStats, StatsCounter } from './stats.ts';

export type { CertCentralStats } from './stats.ts';

export interface CertCentralClientOptions {
  /** e.g. `https://www.digicert.com/services/v2`; a trailing slash is fine. */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Epoch milliseconds. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1), for the retry jitter. */
  random?: () => number;
  /** Client-side rate limits, all enforced at once. Default: DigiCert's 100 per 5 s and 1000 per 3 min. */
  limits?: readonly RateWindow[];
  /** Added to every rate window to absorb network latency jitter. Default 250 ms. */
  marginMs?: number;
  retry?: Partial<RetryOptions>;
  /** Per attempt, body included. Default 30 s. */
  timeoutMs?: number;
  /** Rows per report page. Default 1000. */
  pageSize?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 1_000;
const MAX_PAGE_SIZE = 100_000;
const ONE_DAY_MS = 86_400_000;

/** The CertCentral Services API over HTTP: the order report and the order-detail endpoints. */
export class CertCentralClient implements ReportSource, OrderDetailSource {
  readonly #transport: HttpTransport;
  readonly #limiter: SlidingWindowRateLimiter;
  readonly #stats = new StatsCounter();
  readonly #pageSize: number;

  constructor(options: CertCentralClientOptions) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => delay(ms));
    this.#pageSize = wholeNumber('pageSize', options.pageSize ?? DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    this.#limiter = new SlidingWindowRateLimiter({
      windows: rateWindows(options.limits ?? DIGICERT_RATE_LIMITS),
      marginMs: wholeNumber('marginMs', options.marginMs ?? DEFAULT_MARGIN_MS, 0, ONE_DAY_MS),
      now,
      sleep,
    });
    this.#transport = new HttpTransport({
      baseUrl: parseBaseUrl(options.baseUrl, 'baseUrl'),
      apiKey: apiKey(options.apiKey),
      fetch: options.fetch ?? fetch,
      now,
      sleep,
      limiter: this.#limiter,
      retry: new RetryPolicy(retryOptions(options.retry ?? {}), options.random ?? Math.random),
      timeoutMs: wholeNumber('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, ONE_DAY_MS),
      stats: this.#stats,
    });
  }

  records(): AsyncIterable<ReportRecord> {
    return streamReport({ transport: this.#transport, pageSize: this.#pageSize, stats: this.#stats });
  }

  async order(orderId: number): Promise<OrderLookup> {
    return this.#lookup('order', `/order/certificate/${orderIdText(orderId)}`, toOrderDetail);
  }

  async subaccountOrder(orderId: number): Promise<OrderLookup> {
    return this.#lookup(
      'subaccountOrder',
      `/account/subaccount/order/${orderIdText(orderId)}`,
      toSubaccountOrderDetail,
    );
  }

  async duplicates(orderId: number): Promise<DuplicateCertificate[]> {
    const result = await this.#transport.get({
      endpoint: 'duplicates',
      path: `/order/certificate/${orderIdText(orderId)}/duplicate`,
      json: true,
      read: (response) => readJson(response, 'duplicates', toDuplicates),
    });
    if (result.ok) {
      return result.value;
    }
    if (result.status === 404) {
      return [];
    }
    throw new CertCentralError(
      `the API key may not list the duplicates of order ${orderId} (HTTP 403${result.code === null ? '' : ` ${result.code}`})`,
      { endpoint: 'duplicates', status: result.status, code: result.code },
    );
  }

  stats(): CertCentralStats {
    return this.#stats.snapshot(this.#limiter.waitedMs);
  }

  async #lookup(
    endpoint: Endpoint,
    path: string,
    normalise: (json: unknown) => OrderDetail,
  ): Promise<OrderLookup> {
    const result = await this.#transport.get({
      endpoint,
      path,
      json: true,
      read: (response) => readJson(response, endpoint, normalise),
    });
    return result.ok ? { found: true, detail: result.value } : { found: false, status: result.status };
  }
}

async function readJson<T>(
  response: Response,
  endpoint: Endpoint,
  normalise: (json: unknown) => T,
): Promise<T> {
  const body = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new CertCentralError(`CertCentral ${endpoint} response is not JSON`, {
      endpoint,
      status: response.status,
      code: 'invalid_response',
    });
  }
  return normalise(json);
}

function orderIdText(orderId: number): string {
  if (!Number.isSafeInteger(orderId) || orderId <= 0) {
    throw new RangeError(`orderId: ${orderId} is not a positive integer`);
  }
  return String(orderId);
}

function apiKey(value: string): string {
  if (value.trim() === '') {
    throw new ConfigError('apiKey', '', 'is empty: the CertCentral API key is required');
  }
  return value;
}

function wholeNumber(setting: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(setting, value, `is not a whole number from ${min} to ${max}`);
  }
  return value;
}

function rateWindows(limits: readonly RateWindow[]): RateWindow[] {
  if (limits.length === 0) {
    throw new ConfigError('limits', limits, 'is empty: give at least one rate window');
  }
  return limits.map((window, index) => ({
    limit: wholeNumber(`limits[${index}].limit`, window.limit, 1, 1_000_000),
    windowMs: wholeNumber(`limits[${index}].windowMs`, window.windowMs, 1, ONE_DAY_MS),
  }));
}

function retryOptions(overrides: Partial<RetryOptions>): RetryOptions {
  const merged = { ...DEFAULT_RETRY, ...overrides };
  return {
    maxAttempts: wholeNumber('retry.maxAttempts', merged.maxAttempts, 1, 100),
    maxElapsedMs: wholeNumber('retry.maxElapsedMs', merged.maxElapsedMs, 0, ONE_DAY_MS),
    baseDelayMs: wholeNumber('retry.baseDelayMs', merged.baseDelayMs, 0, ONE_DAY_MS),
    maxDelayMs: wholeNumber('retry.maxDelayMs', merged.maxDelayMs, 0, ONE_DAY_MS),
  };
}
