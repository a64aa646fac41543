/**
 * The API key goes in a header of every CertCentral request: a base URL may be plain http only when it points at
 * this machine. Every source of the base URL (flag, environment, CDK context, the Lambda environment) keeps to it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseBaseUrl } from '../../../functions/core/config.ts';
import { resolveScanOptions } from '../../../functions/local/scan-options.ts';
import { readAlertEnvironment } from '../../../functions/runtime/environment.ts';
import { parseStackConfig } from '../../../infra/config.ts';
import { runCommand } from '../../support/scan-command.ts';

const KEY = 'base-url-test-key-5e0c2a91';
const PLAIN = 'http://certcentral.example.com/services/v2';

describe('parseBaseUrl', () => {
  it.each([
    'https://www.digicert.com/services/v2',
    'https://certcentral.digicert.eu/services/v2/',
    'http://127.0.0.1:8443/services/v2',
    'http://127.45.6.7/services/v2',
    'http://localhost:3000/services/v2',
    'http://LOCALHOST/services/v2',
    'http://[::1]:3000/services/v2',
  ])('accepts %s', (url) => {
    expect(parseBaseUrl(url)).toBe(url.replace(/\/$/, '').replace('LOCALHOST', 'localhost'));
  });

  it.each([
    PLAIN,
    'http://10.0.0.5/services/v2',
    'http://128.0.0.1/services/v2',
    'http://localhost.example.com/services/v2',
    'http://127.0.0.1.nip.io/services/v2',
    'http://[::ffff:8.8.8.8]/services/v2',
  ])('refuses %s, saying why', (url) => {
    expect(() => parseBaseUrl(url, 'DIGICERT_BASE_URL')).toThrow(
      new ConfigError(
        'DIGICERT_BASE_URL',
        url,
        'is plain http to another machine: the API key would cross the network unencrypted. Use https ' +
          '(http is accepted only for this machine: 127.0.0.0/8, ::1, localhost)',
      ),
    );
  });
});

describe('a plain-http base URL to another machine is refused from every source', () => {
  it('--base-url: exit 2 naming the flag, before any request', async () => {
    let requests = 0;
    const run = await runCommand(['scan', '--base-url', PLAIN, '--dry-run'], {
      env: { DIGICERT_API_KEY: KEY },
      fetch: async () => {
        requests += 1;
        return new Response('');
      },
    });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `expiry-alerts: --base-url: "${PLAIN}" is plain http to another machine: the API key would cross the ` +
        'network unencrypted. Use https (http is accepted only for this machine: 127.0.0.0/8, ::1, localhost)\n',
    );
    expect(requests).toBe(0);
  });

  it('DIGICERT_BASE_URL: exit 2 naming the variable', async () => {
    const run = await runCommand(['scan', '--dry-run'], {
      env: { DIGICERT_API_KEY: KEY, DIGICERT_BASE_URL: PLAIN },
    });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      `expiry-alerts: DIGICERT_BASE_URL: "${PLAIN}" is plain http to another machine`,
    );
  });

  it('the flag wins over the variable, and the variable over the default', () => {
    const env = { DIGICERT_API_KEY: KEY, DIGICERT_BASE_URL: 'https://certcentral.digicert.eu/services/v2' };

    expect(resolveScanOptions({}, env).baseUrl).toBe('https://certcentral.digicert.eu/services/v2');
    expect(resolveScanOptions({ baseUrl: 'http://127.0.0.1:9/services/v2' }, env).baseUrl).toBe(
      'http://127.0.0.1:9/services/v2',
    );
    expect(resolveScanOptions({}, { DIGICERT_API_KEY: KEY }).baseUrl).toBe(
      'https://www.digicert.com/services/v2',
    );
  });

  it('the CDK context digicertBaseUrl: synth fails naming the key', () => {
    const context: Record<string, unknown> = { digicertBaseUrl: PLAIN };

    expect(() => parseStackConfig((key) => context[key])).toThrow(
      `digicertBaseUrl: "${PLAIN}" is plain http to another machine`,
    );
  });

  it("the Lambda functions' DIGICERT_BASE_URL: the cold start fails naming the variable", () => {
    expect(() =>
      readAlertEnvironment({
        STATE_TABLE_NAME: 'state',
        DIGEST_TABLE_NAME: 'digests',
        TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
        DIGICERT_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:key-Ab12Cd',
        DIGICERT_BASE_URL: PLAIN,
      }),
    ).toThrow(`DIGICERT_BASE_URL: "${PLAIN}" is plain http to another machine`);
  });

  it('does not apply to --dynamodb-endpoint, which carries no API key (requests are signed)', () => {
    const options = resolveScanOptions(
      { dynamodbEndpoint: 'http://dynamodb.internal:8000', table: 'expiry-alerts-state' },
      { DIGICERT_API_KEY: KEY },
    );

    expect(options.state).toMatchObject({ kind: 'endpoint', endpoint: 'http://dynamodb.internal:8000' });
  });
});
