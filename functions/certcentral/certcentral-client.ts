import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, DEFAULT_MAX_REPORT_ROWS, parseBaseUrl } from '../core/config.ts';
import type { DuplicateCertificate, OrderDetail, OrderLookup, ReportRecord } from '../core/model.ts';
import type { OrderDetailSource, ReportSource } from '../core/ports.ts';
import { DEFAULT_RETRY, type RetryOptions, RetryPolicy } from './backoff.ts';
import { toDuplicates, toOrderDetail, toSubaccountOrderDetail } from './detail-schemas.ts';
import { CertCentralError, type Endpoint } from './errors.ts';
import { HttpTransport, type RetryWait } from './http-transport.ts';
import {
  DEFAULT_MARGIN_MS,
  DIGICERT_RATE_LIMITS,
  type RateWindow,
  SlidingWindowRateLimiter,
} from './rate-limiter.ts';
import { describeBody, readBounded, receivedBody, unexpectedBody } from './received-body.ts';
import { Redactor } from './redact.ts';
import { streamReport } from './report-stream.ts';
import { type CertCentralStats, StatsCounter } from './stats.ts';

export type { RetryWait } from './http-transport.ts';
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
  /** Attempts and the time budget of one request (`maxElapsedMs`: every attempt and wait included). */
  retry?: Partial<RetryOptions>;
  /** Per attempt, body included. Default 30 s. */
  timeoutMs?: number;
  /** Rows per report page. Default 1000. */
  pageSize?: number;
  /** The report fails when it passes this many rows (a server that pages forever). Default 10,000,000. */
  maxReportRows?: number;
  /** Hears of every wait before a retry (`retryWaitNotice` words the long ones for people). */
  onRetryWait?: (wait: RetryWait) => void;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PAGE_SIZE = 1_000;
const MAX_PAGE_SIZE = 100_000;
const MAX_REPORT_ROWS_LIMIT = 1_000_000_000;
const ONE_DAY_MS = 86_400_000;
/** JSON answers are read up to this size; past it the answer is refused as too large. */
const JSON_MAX_BYTES = 33_554_432;
/** Visible ASCII and spaces: what an HTTP header value can carry as it is. */
const HEADER_SAFE = /^[\x20-\x7e]+$/;

/**
 * The CertCentral Services API over HTTP: the order report and the order-detail endpoints. Nothing leaves it
 * holding the API key: every body and header is cleaned as it arrives, and every record, detail and error is
 * cleaned again on its way out (a server may echo the key in any form).
 */
export class CertCentralClient implements ReportSource, OrderDetailSource {
  readonly #transport: HttpTransport;
  readonly #limiter: SlidingWindowRateLimiter;
  readonly #stats = new StatsCounter();
  readonly #pageSize: number;
  readonly #maxReportRows: number;
  readonly #redactor: Redactor;

  constructor(options: CertCentralClientOptions) {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => delay(ms));
    const key = apiKey(options.apiKey);
    this.#redactor = new Redactor([key]);
    this.#pageSize = wholeNumber('pageSize', options.pageSize ?? DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
    this.#maxReportRows = wholeNumber(
      'maxReportRows',
      options.maxReportRows ?? DEFAULT_MAX_REPORT_ROWS,
      1,
      MAX_REPORT_ROWS_LIMIT,
    );
    this.#limiter = new SlidingWindowRateLimiter({
      windows: rateWindows(options.limits ?? DIGICERT_RATE_LIMITS),
      marginMs: wholeNumber('marginMs', options.marginMs ?? DEFAULT_MARGIN_MS, 0, ONE_DAY_MS),
      now,
      sleep,
    });
    this.#transport = new HttpTransport({
      baseUrl: parseBaseUrl(options.baseUrl, 'baseUrl'),
      apiKey: key,
      fetch: options.fetch ?? fetch,
      now,
      sleep,
      limiter: this.#limiter,
      retry: new RetryPolicy(retryOptions(options.retry ?? {}), options.random ?? Math.random),
      timeoutMs: wholeNumber('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, ONE_DAY_MS),
      stats: this.#stats,
      redactor: this.#redactor,
      ...(options.onRetryWait ? { onRetryWait: options.onRetryWait } : {}),
    });
  }

  async *records(): AsyncGenerator<ReportRecord> {
    const records = streamReport({
      transport: this.#transport,
      pageSize: this.#pageSize,
      maxRows: this.#maxReportRows,
      stats: this.#stats,
    });
    try {
      for await (const record of records) {
        yield this.#redactor.deep(record);
      }
    } catch (error) {
      throw this.#redactor.error(error);
    }
  }

  async order(orderId: number): Promise<OrderLookup> {
    return this.#clean(() =>
      this.#lookup('order', `/order/certificate/${orderIdText(orderId)}`, toOrderDetail),
    );
  }

  async subaccountOrder(orderId: number): Promise<OrderLookup> {
    return this.#clean(() =>
      this.#lookup(
        'subaccountOrder',
        `/account/subaccount/order/${orderIdText(orderId)}`,
        toSubaccountOrderDetail,
      ),
    );
  }

  async duplicates(orderId: number): Promise<DuplicateCertificate[] | null> {
    return this.#clean(async () => {
      const result = await this.#transport.get({
        endpoint: 'duplicates',
        path: `/order/certificate/${orderIdText(orderId)}/duplicate`,
        json: true,
        read: (response) => readJson(response, 'duplicates', toDuplicates, this.#redactor),
      });
      if (result.ok) {
        return result.value;
      }
      // 404: no such order here (a subaccount's, say); 403: the key may not list them. Neither is a failure.
      return result.status === 404 ? [] : null;
    });
  }

  stats(): CertCentralStats {
    return this.#stats.snapshot(this.#limiter.waitedMs);
  }

  /** The boundary: what a call returns, and what it throws, without the key. */
  async #clean<T>(call: () => Promise<T>): Promise<T> {
    try {
      return this.#redactor.deep(await call());
    } catch (error) {
      throw this.#redactor.error(error);
    }
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
      read: (response) => readJson(response, endpoint, normalise, this.#redactor),
    });
    return result.ok ? { found: true, detail: result.value } : { found: false, status: result.status };
  }
}

/**
 * A JSON answer, validated. An empty body, an HTML page, a body too large or one that is not JSON is an error
 * that says what came instead. The parsed value is cleaned before validation: a key hidden in JSON escapes
 * (`\u0041…`) cannot reach a validation message either.
 */
async function readJson<T>(
  response: Response,
  endpoint: Endpoint,
  normalise: (json: unknown) => T,
  redactor: Redactor,
): Promise<T> {
  const contentType = response.headers.get('content-type');
  const read =
    response.body === null
      ? { text: '', bytes: 0, complete: true }
      : await readBounded(response.body.getReader(), JSON_MAX_BYTES);
  if (!read.complete) {
    throw new CertCentralError(
      `CertCentral ${endpoint} answered HTTP ${response.status} with more than ${JSON_MAX_BYTES} bytes: too large to read`,
      { endpoint, status: response.status, code: 'invalid_response' },
    );
  }
  const body = receivedBody(read, contentType);
  if (body.kind === 'empty' || body.kind === 'html') {
    throw unexpectedBody(endpoint, response.status, body, 'JSON');
  }
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch {
    throw new CertCentralError(
      body.kind === 'json' || /json/i.test(contentType ?? '')
        ? `CertCentral ${endpoint} answered HTTP ${response.status} with invalid JSON (${describeType(contentType)}, ${read.bytes} bytes)`
        : `CertCentral ${endpoint} answered HTTP ${response.status} with ${describeBody(body)}, not JSON`,
      { endpoint, status: response.status, code: 'invalid_response' },
    );
  }
  return normalise(redactor.deep(json));
}

function describeType(contentType: string | null): string {
  return contentType?.trim() || 'no content type';
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
  if (!HEADER_SAFE.test(value)) {
    // The value is never shown: it is the secret.
    throw new ConfigError(
      'apiKey',
      '(hidden)',
      'has a character an HTTP header cannot carry (a line break, a control or non-ASCII character): ' +
        'check DIGICERT_API_KEY or the DigiCert API key secret',
    );
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
