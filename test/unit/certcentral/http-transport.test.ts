import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, type RetryOptions, RetryPolicy } from '../../../functions/certcentral/backoff.ts';
import { CertCentralError, CertCentralKeyRefusedError } from '../../../functions/certcentral/errors.ts';
import {
  HttpTransport,
  type RetryWait,
  type TransportRequest,
} from '../../../functions/certcentral/http-transport.ts';
import {
  DIGICERT_RATE_LIMITS,
  SlidingWindowRateLimiter,
} from '../../../functions/certcentral/rate-limiter.ts';
import { Redactor } from '../../../functions/certcentral/redact.ts';
import { retryWaitNotice } from '../../../functions/certcentral/retry-notice.ts';
import { StatsCounter } from '../../../functions/certcentral/stats.ts';
import { type FakeTime, fakeTime, hybridTime } from './support/fake-time.ts';
import {
  cutOff,
  json,
  type LocalServer,
  reset,
  silence,
  startLocalServer,
  text,
  vendorError,
} from './support/local-server.ts';

const API_KEY = 'dc-test-key-NEVER-LOG-7f3a9c';
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

interface TransportSetup {
  retry?: Partial<RetryOptions>;
  timeoutMs?: number;
  time?: FakeTime;
  baseUrl?: string;
  fetch?: typeof fetch;
  onRetryWait?: (wait: RetryWait) => void;
}

function transportFor(options: TransportSetup = {}) {
  const time = options.time ?? fakeTime();
  const stats = new StatsCounter();
  const transport = new HttpTransport({
    baseUrl: options.baseUrl ?? server.baseUrl.replace(/\/$/, ''),
    apiKey: API_KEY,
    fetch: options.fetch ?? fetch,
    ...(options.onRetryWait ? { onRetryWait: options.onRetryWait } : {}),
    now: time.now,
    sleep: time.sleep,
    limiter: new SlidingWindowRateLimiter({
      windows: DIGICERT_RATE_LIMITS,
      now: time.now,
      sleep: time.sleep,
    }),
    retry: new RetryPolicy({ ...DEFAULT_RETRY, ...options.retry }, () => 0.5),
    timeoutMs: options.timeoutMs ?? 5_000,
    stats,
    redactor: new Redactor([API_KEY]),
  });
  return { transport, stats, time };
}

const orderRequest: TransportRequest<unknown> = {
  endpoint: 'order',
  path: '/order/certificate/123456',
  json: true,
  read: async (response) => response.json(),
};

const reportRequest: TransportRequest<string> = {
  endpoint: 'report',
  path: '/report/order',
  query: { limit: '1000', offset: '0' },
  json: false,
  read: async (response) => response.text(),
};

async function failure(promise: Promise<unknown>): Promise<CertCentralError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CertCentralError);
  return error as CertCentralError;
}

function expectNoKey(error: Error): void {
  expect(`${error.message}\n${error.stack}\n${JSON.stringify(error)}`).not.toContain(API_KEY);
}

describe('HttpTransport requests', () => {
  it('sends the API key, and Content-Type only to the JSON endpoints', async () => {
    const { transport } = transportFor();
    server.answer(json(200, { id: 123456 }), text(200, 'order_id\n', 'text/csv'));

    await transport.get(orderRequest);
    await transport.get(reportRequest);

    const [order, report] = server.requests;
    expect(order?.path).toBe('/services/v2/order/certificate/123456');
    expect(order?.headers['x-dc-devkey']).toBe(API_KEY);
    expect(order?.headers['content-type']).toBe('application/json');
    expect(report?.path).toBe('/services/v2/report/order?limit=1000&offset=0');
    expect(report?.headers['x-dc-devkey']).toBe(API_KEY);
    expect(report?.headers['content-type']).toBeUndefined();
  });

  it('does not follow a redirect, so the key goes nowhere else', async () => {
    const { transport } = transportFor();
    server.answer((_request, response) => {
      response.writeHead(302, { Location: `http://127.0.0.1:9/steal?key=${API_KEY}` }).end();
    });

    const error = await failure(transport.get(orderRequest));

    expect(error.code).toBe('redirect');
    expect(error.message).toBe(
      'CertCentral order request was redirected (HTTP 302) to http://127.0.0.1:9/steal: check the base URL',
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('HttpTransport retries', () => {
  it('rides out a storm of 429s with growing jittered waits, then returns the answer', async () => {
    const { transport, stats, time } = transportFor();
    const throttled = vendorError(
      429,
      'request_limit_exceeded',
      'Service unavailable, please limit request volume',
    );
    server.answer(throttled, throttled, throttled, throttled, json(200, { id: 123456 }));

    const result = await transport.get(orderRequest);

    expect(result).toEqual({ ok: true, value: { id: 123456 } });
    expect(time.sleeps).toEqual([500, 1_000, 2_000, 4_000]);
    expect(stats.calls.order).toBe(5);
    expect(stats.retries).toBe(4);
    expect(stats.throttled).toBe(4);
  });

  it('waits what a Retry-After header asks instead of the jittered backoff', async () => {
    const { transport, time } = transportFor();
    server.answer(
      vendorError(429, 'request_limit_exceeded', 'slow down', { 'Retry-After': '7' }),
      json(200, {}),
    );

    await transport.get(orderRequest);

    expect(time.sleeps).toEqual([7_000]);
  });

  it('retries a 503 and an HTML 502 from a CDN, then returns the answer', async () => {
    const { transport, stats } = transportFor();
    server.answer(vendorError(503, 'service_unavailable'), text(502, HTML_502), json(200, { id: 1 }));

    const result = await transport.get(orderRequest);

    expect(result).toEqual({ ok: true, value: { id: 1 } });
    expect(stats.calls.order).toBe(3);
    expect(stats.throttled).toBe(0);
  });

  it('retries a connection reset', async () => {
    const { transport, stats } = transportFor();
    server.answer(reset, json(200, { id: 2 }));

    const result = await transport.get(orderRequest);

    expect(result).toEqual({ ok: true, value: { id: 2 } });
    expect(stats.retries).toBe(1);
  });

  it('gives up on a server that never answers after timeoutMs per attempt', async () => {
    const { transport, stats } = transportFor({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    server.answer(silence);

    const error = await failure(transport.get(orderRequest));

    expect(error.code).toBe('timeout');
    expect(error.status).toBeNull();
    expect(error.message).toBe(
      `no complete answer from CertCentral at ${server.baseUrl}order/certificate/123456 within 100 ms; ` +
        'gave up after 2 attempts in 500 ms',
    );
    expect(stats.calls.order).toBe(2);
  });

  it('cuts an attempt to what is left of the time budget', async () => {
    const { transport, stats } = transportFor({ timeoutMs: 5_000, retry: { maxElapsedMs: 150 } });
    server.answer(silence);

    const error = await failure(transport.get(orderRequest));

    expect(error.message).toMatch(
      / within 150 ms; gave up after 1 attempt in \d+ ms \(the retry budget of one request is 150 ms\)$/,
    );
    expect(stats.calls.order).toBe(1);
  });

  it('ends every attempt and every wait of a request that never gets an answer within the budget', async () => {
    const time = hybridTime();
    const { transport } = transportFor({ timeoutMs: 100, retry: { maxElapsedMs: 1_500 }, time });
    server.answer(silence);

    const error = await failure(transport.get(orderRequest));

    expect(time.now() - time.start).toBeLessThanOrEqual(1_500);
    expect(time.sleeps).toEqual([500]);
    expect(error.message).toContain('gave up after 2 attempts in ');
    expect(error.message).toContain('(the retry budget of one request is 1.5 s)');
  });

  it('tells onRetryWait of every wait before a retry, with what the last attempt got', async () => {
    const waits: RetryWait[] = [];
    const { transport } = transportFor({ onRetryWait: (wait) => waits.push(wait) });
    server.answer(
      vendorError(503, 'service_unavailable'),
      vendorError(429, 'request_limit_exceeded', 'slow down', { 'Retry-After': '12' }),
      json(200, { id: 1 }),
    );

    await transport.get(orderRequest);

    expect(waits).toEqual([
      { endpoint: 'order', retry: 1, maxRetries: 7, waitMs: 500, reason: 'HTTP 503 service_unavailable' },
      {
        endpoint: 'order',
        retry: 2,
        maxRetries: 7,
        waitMs: 12_000,
        reason: 'HTTP 429 request_limit_exceeded',
      },
    ]);
    expect(waits.map(retryWaitNotice)).toEqual([
      null,
      'waiting 12 s before retry 2 of 7 of the CertCentral order request (HTTP 429 request_limit_exceeded)',
    ]);
  });

  it('names the base URL it cannot reach, and why, after retrying', async () => {
    const closed = await startLocalServer();
    await closed.close();
    const { transport, stats } = transportFor({ baseUrl: closed.baseUrl.replace(/\/$/, '') });

    const error = await failure(transport.get(orderRequest));

    expect(error.code).toBe('network_error');
    expect(error.message).toMatch(
      new RegExp(
        `^cannot reach CertCentral at ${closed.baseUrl.replace(/\/$/, '')}: connection refused \\(ECONNREFUSED\\); ` +
          'gave up after \\d attempts in [\\d.]+ s',
      ),
    );
    expect(stats.retries).toBeGreaterThan(0);
  });

  it('fails at once, naming the base URL, when its host does not exist', async () => {
    const lookupFailed = Object.assign(new Error('getaddrinfo ENOTFOUND certcentral.example.invalid'), {
      code: 'ENOTFOUND',
    });
    const fetchNoHost: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: lookupFailed });
    };
    const { transport, stats } = transportFor({
      baseUrl: 'https://certcentral.example.invalid/services/v2',
      fetch: fetchNoHost,
    });

    const error = await failure(transport.get(orderRequest));

    expect(error.message).toBe(
      'cannot reach CertCentral at https://certcentral.example.invalid/services/v2: no such host (ENOTFOUND)',
    );
    expect(stats.calls.order).toBe(1);
  });

  it('retries an answer whose body stalls past the timeout', async () => {
    const { transport } = transportFor({ timeoutMs: 100 });
    server.answer(
      (_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/csv' }).write('order_id\n');
      },
      text(200, 'order_id\n"1"\n', 'text/csv'),
    );

    const result = await transport.get(reportRequest);

    expect(result).toEqual({ ok: true, value: 'order_id\n"1"\n' });
    expect(server.requests).toHaveLength(2);
  });

  it('retries an answer cut off in the middle of the body', async () => {
    const { transport } = transportFor();
    const body = 'order_id,status\n"1","issued"\n"2","issued"\n';
    server.answer(cutOff(body, 20), text(200, body, 'text/csv'));

    const result = await transport.get(reportRequest);

    expect(result).toEqual({ ok: true, value: body });
    expect(server.requests).toHaveLength(2);
  });

  it('stops after maxAttempts and reports the last status and code', async () => {
    const { transport, stats } = transportFor({ retry: { maxAttempts: 3 } });
    server.answer(vendorError(503, 'service_unavailable|maintenance', 'down for maintenance'));

    const error = await failure(transport.get(orderRequest));

    expect(error).not.toBeInstanceOf(CertCentralKeyRefusedError);
    expect(error.status).toBe(503);
    expect(error.code).toBe('service_unavailable|maintenance');
    expect(error.endpoint).toBe('order');
    expect(error.message).toBe(
      'CertCentral order request failed after 3 attempts in 1.5 s: HTTP 503 service_unavailable|maintenance: down for maintenance',
    );
    expect(stats.calls.order).toBe(3);
  });

  it('stops when the next wait would leave less than a second of the budget, and describes the HTML page', async () => {
    const { transport, time } = transportFor({ retry: { maxElapsedMs: 2_500 } });
    server.answer(text(502, HTML_502));

    const error = await failure(transport.get(orderRequest));

    expect(time.sleeps).toEqual([500, 1_000]);
    expect(error.message).toBe(
      'CertCentral order request failed after 3 attempts in 1.5 s (the retry budget of one request is 2.5 s): ' +
        `HTTP 502 with an HTML page titled "502 Bad Gateway" (text/html, ${HTML_502.length} bytes)`,
    );
  });
});

describe('HttpTransport answers that are not retried', () => {
  it('throws CertCentralKeyRefusedError at once for 403 access_denied_invalid_key, without the key', async () => {
    const { transport, stats } = transportFor();
    server.answer(vendorError(403, 'access_denied|access_denied_invalid_key', `Invalid API key ${API_KEY}`));

    const error = await failure(transport.get(reportRequest));

    expect(error).toBeInstanceOf(CertCentralKeyRefusedError);
    expect(error.message).toBe(
      'CertCentral refused the API key (HTTP 403 access_denied|access_denied_invalid_key): ' +
        'check DIGICERT_API_KEY or the DigiCert API key secret',
    );
    expect(error.status).toBe(403);
    expectNoKey(error);
    expect(stats.calls.report).toBe(1);
  });

  it('throws CertCentralKeyRefusedError at once for a 401 without a body', async () => {
    const { transport, stats } = transportFor();
    server.answer(text(401, ''));

    const error = await failure(transport.get(orderRequest));

    expect(error).toBeInstanceOf(CertCentralKeyRefusedError);
    expect(error.message).toContain('HTTP 401');
    expectNoKey(error);
    expect(stats.calls.order).toBe(1);
  });

  it('hands a 404 back with its code', async () => {
    const { transport, stats } = transportFor();
    server.answer(vendorError(404, 'not_found|order', 'Order not found'));

    const result = await transport.get(orderRequest);

    expect(result).toEqual({ ok: false, status: 404, code: 'not_found|order' });
    expect(stats.retries).toBe(0);
  });

  it('hands a 403 that is not a refused key back with its code', async () => {
    const { transport } = transportFor();
    server.answer(vendorError(403, 'access_denied|missing_permission'));

    const result = await transport.get(orderRequest);

    expect(result).toEqual({ ok: false, status: 403, code: 'access_denied|missing_permission' });
  });

  it('throws a 400 at once, with the vendor code and a message that never echoes the key', async () => {
    const { transport, stats } = transportFor();
    server.answer(vendorError(400, 'bad_request_format', `Malformed header X-DC-DEVKEY: ${API_KEY}`));

    const error = await failure(transport.get(orderRequest));

    expect(error.status).toBe(400);
    expect(error.code).toBe('bad_request_format');
    expect(error.message).toBe(
      'CertCentral order request was refused: HTTP 400 bad_request_format: Malformed header X-DC-DEVKEY: [redacted]',
    );
    expectNoKey(error);
    expect(stats.calls.order).toBe(1);
  });
});

describe('HttpTransport keeps the key out of what it reads', () => {
  it('replaces the key in a body as it streams in, even split across chunks, and in the headers', async () => {
    const { transport } = transportFor();
    const half = API_KEY.length / 2;
    server.answer((_request, response) => {
      response.writeHead(200, { 'Content-Type': `text/csv; note=${API_KEY}` });
      response.write(`order_id\n"${API_KEY.slice(0, half)}`);
      setImmediate(() => response.end(`${API_KEY.slice(half)}"\n`));
    });
    const request: TransportRequest<string> = {
      ...reportRequest,
      read: async (response) => `${response.headers.get('content-type')}\n${await response.text()}`,
    };

    const result = await transport.get(request);

    expect(result).toEqual({ ok: true, value: 'text/csv; note=[redacted]\norder_id\n"[redacted]"\n' });
  });
});
