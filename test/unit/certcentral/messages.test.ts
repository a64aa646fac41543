import { describe, expect, it } from 'vitest';
import { connectionProblem } from '../../../functions/certcentral/connection-problem.ts';
import { formatDuration } from '../../../functions/certcentral/duration.ts';
import { CertCentralError } from '../../../functions/certcentral/errors.ts';
import { retryWaitNotice } from '../../../functions/certcentral/retry-notice.ts';
import { ConfigError } from '../../../functions/core/config.ts';
import { describe as describeError } from '../../../functions/local/run-local-scan.ts';

const fetchFailed = (code: string, message = 'connect failed') =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('formatDuration', () => {
  it.each([
    [250, '250 ms'],
    [1_500, '1.5 s'],
    [12_000, '12 s'],
    [45_500, '46 s'],
    [120_000, '2 min'],
    [118_000, '1 min 58 s'],
  ])('%i ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('connectionProblem', () => {
  it.each([
    [fetchFailed('ECONNREFUSED'), 'connection refused (ECONNREFUSED)', false],
    [fetchFailed('ENOTFOUND'), 'no such host (ENOTFOUND)', true],
    [
      fetchFailed('UND_ERR_SOCKET', 'other side closed'),
      'connection closed by the server (UND_ERR_SOCKET)',
      false,
    ],
    [
      fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      "the server's TLS certificate is not trusted: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)",
      true,
    ],
    [fetchFailed('EWHATEVER', 'odd'), 'odd (EWHATEVER)', false],
    [new TypeError('terminated'), 'terminated', false],
  ])('%s', (error, text, final) => {
    expect(connectionProblem(error)).toEqual({ text, final });
  });
});

describe('retryWaitNotice', () => {
  const wait = { endpoint: 'report', retry: 3, maxRetries: 7, reason: 'HTTP 503' } as const;

  it('words a wait over 5 s, and keeps quiet about shorter ones', () => {
    expect(retryWaitNotice({ ...wait, waitMs: 12_000 })).toBe(
      'waiting 12 s before retry 3 of 7 of the CertCentral report request (HTTP 503)',
    );
    expect(retryWaitNotice({ ...wait, waitMs: 5_000 })).toBeNull();
  });
});

describe('the local command describes errors without internal class names', () => {
  it.each([
    [
      new CertCentralError('cannot reach CertCentral at https://x', {
        endpoint: 'report',
        status: null,
        code: null,
      }),
      'cannot reach CertCentral at https://x',
    ],
    [new ConfigError('--page-size', '0', 'is not a whole number'), '--page-size: "0" is not a whole number'],
    [new TypeError('fetch failed'), 'fetch failed'],
    [
      Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }),
      'ResourceNotFoundException: Requested resource not found',
    ],
    ['a string', 'a string'],
  ])('%s', (error, text) => {
    expect(describeError(error)).toBe(text);
  });
});
