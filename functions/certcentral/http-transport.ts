import type { RetryPolicy } from './backoff.ts';
import { connectionProblem } from './connection-problem.ts';
import { formatDuration } from './duration.ts';
import { parseErrorEnvelope, type VendorError } from './error-envelope.ts';
import {
  CertCentralError,
  CertCentralKeyRefusedError,
  codeCategory,
  type Endpoint,
  isInvalidKeyCode,
} from './errors.ts';
import type { SlidingWindowRateLimiter } from './rate-limiter.ts';
import { describeBody, readBounded, receivedBody } from './received-body.ts';
import { type Redactor, redactStream } from './redact.ts';
import type { StatsCounter } from './stats.ts';

/** One wait before a retry, as the client's `onRetryWait` hook hears of it. */
export interface RetryWait {
  endpoint: Endpoint;
  /** 1 for the first retry. */
  retry: number;
  /** The most retries the attempts allow; the time budget may end them sooner. */
  maxRetries: number;
  waitMs: number;
  /** What the last attempt got, in a few words: "HTTP 503", "connection refused (ECONNREFUSED)". */
  reason: string;
}

export interface TransportOptions {
  /** Without a trailing slash, e.g. `https://www.digicert.com/services/v2`. */
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  limiter: SlidingWindowRateLimiter;
  retry: RetryPolicy;
  /** Covers the whole attempt: connecting, the headers and the body. Cut to what is left of the retry budget. */
  timeoutMs: number;
  stats: StatsCounter;
  /** Applied to every body and header as it arrives, so that nothing read from a response holds the key. */
  redactor: Redactor;
  onRetryWait?: (wait: RetryWait) => void;
}

export interface TransportRequest<T> {
  endpoint: Endpoint;
  /** From the base URL, with a leading slash: `/order/certificate/123`. */
  path: string;
  query?: Record<string, string>;
  /** Sends `Content-Type: application/json`, as the JSON endpoints expect. */
  json: boolean;
  /**
   * Reads a successful response (its body and headers already cleaned of the key). A `CertCentralError` it
   * throws is final; any other error (a body cut off mid-stream, a timeout) makes the whole attempt, body
   * included, a retryable failure.
   */
  read: (response: Response, signal: AbortSignal) => Promise<T>;
}

/** A 403 (not a refused key) or a 404 is handed back: whether that is an error depends on the endpoint. */
export type TransportResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: 403 | 404; code: string | null };

type FailureKind = 'http' | 'timeout' | 'network';

interface RetryableFailure {
  kind: FailureKind;
  status: number | null;
  code: string | null;
  retryAfter: string | null;
  /** A few words, for the retry notices. */
  reason: string;
  /** The whole story, for the final error. */
  problem: string;
  cause?: unknown;
}

type Attempt<T> = { done: TransportResult<T> } | { failure: RetryableFailure };

const VENDOR_MESSAGE_MAX = 200;
/** Error bodies are read this far: enough for CertCentral's JSON and a CDN's page title. */
const ERROR_BODY_MAX_BYTES = 65_536;
/** No retry starts with less than this left of the budget (or the per-attempt timeout, when shorter). */
const MIN_ATTEMPT_MS = 1_000;
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** One CertCentral request: headers, timeout, the client-side rate limit, retries and the error envelope. */
export class HttpTransport {
  constructor(private readonly options: TransportOptions) {}

  /** The configured base URL, for messages. */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async get<T>(request: TransportRequest<T>): Promise<TransportResult<T>> {
    const { limiter, now, retry, sleep, stats, timeoutMs } = this.options;
    let startedAt: number | null = null;
    let lastFailure: RetryableFailure | null = null;
    for (let attempt = 1; ; attempt++) {
      // The rate limiter's wait before the first attempt is pacing, not trouble: the budget starts after it.
      await limiter.acquire();
      startedAt ??= now();
      const leftMs = startedAt + retry.budgetMs - now();
      if (lastFailure !== null && leftMs < 1) {
        // The rate limiter held the retry until the budget was spent.
        throw this.#exhausted(request, attempt - 1, now() - startedAt, lastFailure);
      }
      const outcome = await this.#attempt(request, Math.max(1, Math.min(timeoutMs, leftMs)));
      if ('done' in outcome) {
        return outcome.done;
      }
      const { failure } = outcome;
      lastFailure = failure;
      const delay = retry.delayMs(attempt - 1, failure.retryAfter, now());
      const elapsed = now() - startedAt;
      if (!retry.allows(attempt, elapsed, delay, Math.min(timeoutMs, MIN_ATTEMPT_MS))) {
        throw this.#exhausted(request, attempt, elapsed, failure);
      }
      stats.retries++;
      this.options.onRetryWait?.({
        endpoint: request.endpoint,
        retry: attempt,
        maxRetries: retry.maxAttempts - 1,
        waitMs: delay,
        reason: failure.reason,
      });
      await sleep(delay);
    }
  }

  async #attempt<T>(request: TransportRequest<T>, timeoutMs: number): Promise<Attempt<T>> {
    const { stats } = this.options;
    stats.calls[request.endpoint]++;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const raw = await this.options.fetch(this.#url(request), {
        headers: this.#headers(request.json),
        redirect: 'manual',
        signal,
      });
      const response = this.#cleaned(raw);
      if (response.ok) {
        return { done: { ok: true, value: await request.read(response, signal) } };
      }
      return await this.#failed(request, response);
    } catch (error) {
      if (error instanceof CertCentralError) {
        throw error;
      }
      if (signal.aborted) {
        const within = formatDuration(timeoutMs);
        return {
          failure: {
            kind: 'timeout',
            status: null,
            code: 'timeout',
            retryAfter: null,
            reason: `no answer within ${within}`,
            problem: `within ${within}`,
            cause: error,
          },
        };
      }
      const problem = connectionProblem(error);
      if (problem.final) {
        throw new CertCentralError(
          `cannot reach CertCentral at ${this.options.baseUrl}: ${problem.text}`,
          { endpoint: request.endpoint, status: null, code: 'network_error' },
          { cause: error },
        );
      }
      return {
        failure: {
          kind: 'network',
          status: null,
          code: 'network_error',
          retryAfter: null,
          reason: problem.text,
          problem: problem.text,
          cause: error,
        },
      };
    }
  }

  /** The response with the key taken out of its headers and, as it streams in, its body. */
  #cleaned(response: Response): Response {
    const { redactor } = this.options;
    const headers = new Headers();
    response.headers.forEach((value, name) => {
      headers.append(name, redactor.text(value));
    });
    const body =
      response.body === null || NULL_BODY_STATUSES.has(response.status)
        ? null
        : redactStream(response.body, redactor);
    return new Response(body, { status: response.status, headers });
  }

  async #failed<T>(request: TransportRequest<T>, response: Response): Promise<Attempt<T>> {
    const { endpoint } = request;
    const { status } = response;
    if (status >= 300 && status < 400) {
      await response.body?.cancel().catch(() => undefined);
      throw new CertCentralError(
        `CertCentral ${endpoint} request was redirected (HTTP ${status})${this.#redirectTarget(request, response)}: ` +
          'check the base URL',
        { endpoint, status, code: 'redirect' },
      );
    }
    const read =
      response.body === null
        ? { text: '', bytes: 0, complete: true }
        : await readBounded(response.body.getReader(), ERROR_BODY_MAX_BYTES);
    const vendor = parseErrorEnvelope(read.text);
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
    const answer = `HTTP ${status}${vendor === null ? describeNonVendorBody(read, response) : describeVendor(vendor)}`;
    if (!isRetryable(status, vendor)) {
      throw new CertCentralError(`CertCentral ${endpoint} request was refused: ${answer}`, {
        endpoint,
        status,
        code,
      });
    }
    return {
      failure: {
        kind: 'http',
        status,
        code,
        retryAfter: response.headers.get('retry-after'),
        reason: `HTTP ${status}${code === null ? '' : ` ${code}`}`,
        problem: answer,
      },
    };
  }

  #exhausted(
    request: TransportRequest<unknown>,
    attempts: number,
    elapsedMs: number,
    last: RetryableFailure,
  ): CertCentralError {
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'} in ${formatDuration(elapsedMs)}`;
    const budget =
      attempts < this.options.retry.maxAttempts
        ? ` (the retry budget of one request is ${formatDuration(this.options.retry.budgetMs)})`
        : '';
    const details = { endpoint: request.endpoint, status: last.status, code: last.code };
    switch (last.kind) {
      case 'timeout':
        return new CertCentralError(
          `no complete answer from CertCentral at ${this.#url(request).href} ${last.problem}; ` +
            `gave up after ${tries}${budget}`,
          details,
          { cause: last.cause },
        );
      case 'network':
        return new CertCentralError(
          `cannot reach CertCentral at ${this.options.baseUrl}: ${last.problem}; gave up after ${tries}${budget}`,
          details,
          { cause: last.cause },
        );
      case 'http':
        return new CertCentralError(
          `CertCentral ${request.endpoint} request failed after ${tries}${budget}: ${last.problem}`,
          details,
        );
    }
  }

  /** " to https://host/path", without a query that might carry a token, when the Location header is readable. */
  #redirectTarget(request: TransportRequest<unknown>, response: Response): string {
    const location = response.headers.get('location');
    if (location === null) return '';
    try {
      const target = new URL(location, this.#url(request));
      return ` to ${target.origin}${target.pathname}`;
    } catch {
      return '';
    }
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
}

function describeVendor(vendor: VendorError): string {
  const message = vendor.message.slice(0, VENDOR_MESSAGE_MAX);
  return ` ${vendor.code}${message === '' ? '' : `: ${message}`}`;
}

/** " with an HTML page titled "502 Bad Gateway" (text/html, 96 bytes)"; nothing for an empty body. */
function describeNonVendorBody(read: { text: string; bytes: number; complete: boolean }, response: Response) {
  if (read.bytes === 0) return '';
  return ` with ${describeBody(receivedBody(read, response.headers.get('content-type')))}`;
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
