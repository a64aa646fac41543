import type { RetryPolicy } from './backoff.ts';
import { parseErrorEnvelope, type VendorError } from './error-envelope.ts';
import {
  CertCentralError,
  CertCentralKeyRefusedError,
  codeCategory,
  type Endpoint,
  isInvalidKeyCode,
} from './errors.ts';
import type { SlidingWindowRateLimiter } from './rate-limiter.ts';
import type { StatsCounter } from './stats.ts';

export interface TransportOptions {
  /** Without a trailing slash, e.g. `https://www.digicert.com/services/v2`. */
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  limiter: SlidingWindowRateLimiter;
  retry: RetryPolicy;
  /** Covers the whole attempt: connecting, the headers and the body. */
  timeoutMs: number;
  stats: StatsCounter;
}

export interface TransportRequest<T> {
  endpoint: Endpoint;
  /** From the base URL, with a leading slash: `/order/certificate/123`. */
  path: string;
  query?: Record<string, string>;
  /** Sends `Content-Type: application/json`, as the JSON endpoints expect. */
  json: boolean;
  /**
   * Reads a successful response. A `CertCentralError` it throws is final; any other error (a body cut off
   * mid-stream, a timeout) makes the whole attempt, body included, a retryable failure.
   */
  read: (response: Response, signal: AbortSignal) => Promise<T>;
}

/** A 403 (not a refused key) or a 404 is handed back: whether that is an error depends on the endpoint. */
export type TransportResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: 403 | 404; code: string | null };

interface RetryableFailure {
  status: number | null;
  code: string | null;
  retryAfter: string | null;
  problem: string;
  cause?: unknown;
}

type Attempt<T> = { done: TransportResult<T> } | { failure: RetryableFailure };

const VENDOR_MESSAGE_MAX = 200;

/** One CertCentral request: headers, timeout, the client-side rate limit, retries and the error envelope. */
export class HttpTransport {
  constructor(private readonly options: TransportOptions) {}

  async get<T>(request: TransportRequest<T>): Promise<TransportResult<T>> {
    const { now, retry, sleep, stats } = this.options;
    const startedAt = now();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#attempt(request);
      if ('done' in outcome) {
        return outcome.done;
      }
      const delay = retry.delayMs(attempt - 1, outcome.failure.retryAfter, now());
      if (!retry.allows(attempt, now() - startedAt, delay)) {
        throw this.#exhausted(request.endpoint, attempt, outcome.failure);
      }
      stats.retries++;
      await sleep(delay);
    }
  }

  async #attempt<T>(request: TransportRequest<T>): Promise<Attempt<T>> {
    const { limiter, stats, timeoutMs } = this.options;
    await limiter.acquire();
    stats.calls[request.endpoint]++;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await this.options.fetch(this.#url(request), {
        headers: this.#headers(request.json),
        redirect: 'manual',
        signal,
      });
      if (response.ok) {
        return { done: { ok: true, value: await request.read(response, signal) } };
      }
      return await this.#failed(request.endpoint, response);
    } catch (error) {
      if (error instanceof CertCentralError) {
        throw error;
      }
      const timedOut = signal.aborted;
      return {
        failure: {
          status: null,
          code: timedOut ? 'timeout' : 'network_error',
          retryAfter: null,
          problem: timedOut
            ? `no complete answer within ${timeoutMs} ms`
            : `connection failed (${describe(error)})`,
          cause: error,
        },
      };
    }
  }

  async #failed<T>(endpoint: Endpoint, response: Response): Promise<Attempt<T>> {
    const { status } = response;
    if (status >= 300 && status < 400) {
      throw new CertCentralError(
        `CertCentral ${endpoint} request was redirected (HTTP ${status}): check the base URL`,
        { endpoint, status, code: 'redirect' },
      );
    }
    const vendor = parseErrorEnvelope(await response.text());
    const code = vendor?.code ?? null;
    if (status === 401 || (status === 403 && isInvalidKeyCode(code))) {
      throw new CertCentralKeyRefusedError(endpoint, status, code);
    }
    if (status === 403 || status === 404) {
      return { done: { ok: false, status, code } };
    }
    if (status === 429) {
      this.options.stats.throttled++;
    }
    if (!isRetryable(status, vendor)) {
      throw new CertCentralError(
        `CertCentral ${endpoint} request was refused: HTTP ${status}${this.#describeVendor(vendor)}`,
        { endpoint, status, code },
      );
    }
    return {
      failure: {
        status,
        code,
        retryAfter: response.headers.get('retry-after'),
        problem: `HTTP ${status}${this.#describeVendor(vendor)}`,
      },
    };
  }

  #exhausted(endpoint: Endpoint, attempts: number, last: RetryableFailure): CertCentralError {
    return new CertCentralError(
      `CertCentral ${endpoint} request failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last.problem}`,
      { endpoint, status: last.status, code: last.code },
      { cause: last.cause },
    );
  }

  #url(request: TransportRequest<unknown>): URL {
    const url = new URL(`${this.options.baseUrl}${request.path}`);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(name, value);
    }
    return url;
  }

  #headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = { 'X-DC-DEVKEY': this.options.apiKey };
    if (json) {
      headers['Content-Type'] = 'application/json';
    }
    return headers;
  }

  #describeVendor(vendor: VendorError | null): string {
    if (vendor === null) {
      return '';
    }
    const message = vendor.message.split(this.options.apiKey).join('[redacted]').slice(0, VENDOR_MESSAGE_MAX);
    return ` ${vendor.code}${message === '' ? '' : `: ${message}`}`;
  }
}

/** 429, 408 and 5xx are worth another try, and so is an error page that is not CertCentral's JSON (a CDN's). */
function isRetryable(status: number, vendor: VendorError | null): boolean {
  if (status === 400) {
    return false;
  }
  return (
    status === 408 ||
    status === 429 ||
    status >= 500 ||
    vendor === null ||
    codeCategory(vendor.code) === 'request_limit_exceeded'
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause: unknown = error.cause;
  const causeCode =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  return causeCode === undefined ? error.message : `${error.message}: ${causeCode}`;
}
