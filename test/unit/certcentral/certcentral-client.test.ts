import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CertCentralClient,
  type CertCentralClientOptions,
} from '../../../functions/certcentral/certcentral-client.ts';
import { CertCentralError, CertCentralKeyRefusedError } from '../../../functions/certcentral/errors.ts';
import { ConfigError } from '../../../functions/core/config.ts';
import { fakeTime } from './support/fake-time.ts';
import { json, type LocalServer, startLocalServer, text, vendorError } from './support/local-server.ts';

const API_KEY = 'dc-test-key-NEVER-LOG-7f3a9c';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/certcentral/${name}`, import.meta.url), 'utf8'));

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function clientFor(options: Partial<CertCentralClientOptions> = {}) {
  const time = fakeTime();
  const client = new CertCentralClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    ...options,
  });
  return { client, time };
}

describe('CertCentralClient.order', () => {
  it('asks GET /order/certificate/{id} with the key and JSON content type, despite the trailing slash', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('order-issued.json')));

    await client.order(123456);

    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/services/v2/order/certificate/123456',
        headers: expect.objectContaining({ 'x-dc-devkey': API_KEY, 'content-type': 'application/json' }),
      }),
    ]);
  });

  it('normalises the seed order, with one contact where the technical and organization contact are the same person', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('order-issued.json')));

    expect(await client.order(123456)).toEqual({
      found: true,
      detail: {
        orderId: 123456,
        status: 'issued',
        certificateId: null,
        commonName: 'example.com',
        dnsNames: ['example2.com', 'example3.com'],
        validTill: '2020-04-30',
        validFrom: '2019-04-30',
        organization: 'Epigyne Unwieldiness llc',
        container: 'History Department',
        product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
        contacts: [{ role: 'technical', name: 'Gia Booth', email: 'gia.booth@inbox.com' }],
        subaccount: null,
        plan: { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false },
        disableRenewalNotifications: false,
      },
    });
  });

  it('reads a Multi-year Plan and its automation, in the forms CertCentral writes them', async () => {
    const { client } = clientFor();
    const order = fixture('order-issued.json') as Record<string, unknown>;
    server.answer(
      json(200, {
        ...order,
        is_multi_year_plan: '1',
        order_valid_from: '2019-04-30',
        order_valid_till: '2022-04-30',
        auto_reissue: 1,
        auto_renew: '2',
        disable_renewal_notifications: true,
      }),
    );

    const lookup = await client.order(123456);

    expect(lookup.found && lookup.detail).toMatchObject({
      plan: { multiYear: true, orderValidTill: '2022-04-30', autoRenew: 2, autoReissue: true },
      disableRenewalNotifications: true,
    });
  });

  it('refuses plan fields it cannot read, naming them', async () => {
    const { client } = clientFor();
    server.answer(json(200, { ...(fixture('order-issued.json') as object), auto_reissue: 'sometimes' }));

    await expect(client.order(123456)).rejects.toMatchObject({
      code: 'invalid_response',
      message: expect.stringContaining('auto_reissue: "sometimes"'),
    });
  });

  it('keeps both contacts when they differ, and has no valid_till before issuance', async () => {
    const { client } = clientFor();
    const order = fixture('order-needs-approval.json') as Record<string, unknown>;
    server.answer(
      json(200, {
        ...order,
        certificate: { ...(order.certificate as object), id: '5001' },
        organization_contact: { first_name: 'Ann', last_name: 'Lee', email: 'ann.lee@example.com' },
      }),
    );

    const lookup = await client.order(123456);

    expect(lookup).toMatchObject({
      found: true,
      detail: { status: 'needs_approval', validTill: null, certificateId: 5001 },
    });
    expect(lookup.found && lookup.detail.contacts).toEqual([
      { role: 'technical', name: 'Gia Booth', email: 'gia.booth@inbox.com' },
      { role: 'organization', name: 'Ann Lee', email: 'ann.lee@example.com' },
    ]);
  });

  it('answers not found, without retrying, for a 404 and for a 403 that is not about the key', async () => {
    const { client } = clientFor();
    server.answer(
      vendorError(404, 'not_found|order', 'Order not found'),
      vendorError(403, 'access_denied|missing_permission', 'Permission denied'),
    );

    expect(await client.order(1)).toEqual({ found: false, status: 404 });
    expect(await client.order(2)).toEqual({ found: false, status: 403 });
    expect(client.stats()).toMatchObject({ calls: { order: 2 }, retries: 0 });
  });

  it('throws CertCentralKeyRefusedError for a refused key', async () => {
    const { client } = clientFor();
    server.answer(vendorError(403, 'access_denied|access_denied_invalid_key', 'Invalid API key'));

    await expect(client.order(1)).rejects.toBeInstanceOf(CertCentralKeyRefusedError);
  });

  it('throws invalid_response, naming the field, for an answer that does not fit', async () => {
    const { client } = clientFor();
    const order = fixture('order-issued.json') as Record<string, unknown>;
    server.answer(
      json(200, { ...order, certificate: { ...(order.certificate as object), valid_till: '2020-02-30' } }),
      json(200, { status: 'issued' }),
      text(200, 'not json', 'application/json'),
    );

    const invalidDate = await client.order(1).catch((caught: unknown) => caught);
    const missingId = await client.order(1).catch((caught: unknown) => caught);
    const notJson = await client.order(1).catch((caught: unknown) => caught);

    expect(invalidDate).toBeInstanceOf(CertCentralError);
    expect(invalidDate).toMatchObject({
      code: 'invalid_response',
      endpoint: 'order',
      message:
        'CertCentral order response does not fit the expected shape: certificate.valid_till: "2020-02-30" is not a yyyy-MM-dd date',
    });
    expect(missingId).toMatchObject({
      code: 'invalid_response',
      message: expect.stringMatching(/: id is missing$/),
    });
    expect(notJson).toMatchObject({
      code: 'invalid_response',
      message: 'CertCentral order answered HTTP 200 with invalid JSON (application/json, 8 bytes)',
    });
    expect(client.stats().retries).toBe(0);
  });

  const signIn = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Proxy</body></html>';
  it.each([
    ['an empty body', text(200, '', 'application/json'), 'with an empty body, not JSON: check the base URL'],
    [
      'an HTML page',
      text(200, signIn),
      `with an HTML page titled "Sign in" (text/html, ${signIn.length} bytes), not JSON: check the base URL`,
    ],
    ['plain text', text(200, 'maintenance', 'text/plain'), 'with a text/plain body of 11 bytes, not JSON'],
  ])('says what came instead of JSON: %s', async (_kind, answer, ending) => {
    const { client } = clientFor();
    server.answer(answer);

    const error = await client.order(1).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CertCentralError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      message: `CertCentral order answered HTTP 200 ${ending}`,
    });
    expect(client.stats().retries).toBe(0);
  });

  it('keeps the key out of the detail and of validation messages, whatever form the server echoes it in', async () => {
    const { client } = clientFor();
    const order = fixture('order-issued.json') as Record<string, unknown>;
    const escaped = [...API_KEY]
      .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('');
    server.answer(
      json(200, { ...order, certificate: { ...(order.certificate as object), common_name: API_KEY } }),
      text(
        200,
        JSON.stringify({ ...order, id: 'x'.repeat(50) }).replace('"xxxxxxxxxx', `"${escaped}`),
        'application/json',
      ),
    );

    const lookup = await client.order(1);
    const invalid = (await client.order(2).catch((caught: unknown) => caught)) as Error;

    expect(lookup).toMatchObject({ found: true, detail: { commonName: '[redacted]' } });
    expect(invalid.message).toContain('id: "[redacted]xxxx');
    expect(`${invalid.message}${invalid.stack}`).not.toContain(API_KEY.slice(0, 8));
  });

  it('refuses an order id that is not a positive integer before calling', async () => {
    const { client } = clientFor();

    await expect(client.order(0)).rejects.toThrow(new RangeError('orderId: 0 is not a positive integer'));
    await expect(client.order(1.5)).rejects.toThrow(RangeError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('CertCentralClient.subaccountOrder', () => {
  it('asks the subaccount endpoint and names the subaccount', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('subaccount-order-issued.json')));

    const lookup = await client.subaccountOrder(123457);

    expect(server.requests[0]?.path).toBe('/services/v2/account/subaccount/order/123457');
    expect(lookup).toEqual({
      found: true,
      detail: {
        orderId: 123457,
        status: 'issued',
        certificateId: 101015,
        commonName: 'example.com',
        dnsNames: ['sub.example.com', 'sub2.example.com', 'sub3.example.com', 'sub4.example.com'],
        validTill: '2020-06-15',
        validFrom: '2019-06-11',
        organization: 'Real Organization, LLC',
        container: null,
        product: { nameId: 'ssl_multi_domain', name: 'Multi-Domain SSL', type: 'ssl_certificate' },
        contacts: [],
        subaccount: { accountId: 123445, organizationName: 'Sub account organization' },
        plan: { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false },
        disableRenewalNotifications: null,
      },
    });
  });

  it('reads an order of a sub-subaccount, which has no certificate or organization', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('subaccount-order-sub-subaccount.json')));

    expect(await client.subaccountOrder(123456)).toMatchObject({
      found: true,
      detail: { status: 'pending', certificateId: null, commonName: null, dnsNames: [], organization: null },
    });
  });

  it('throws invalid_response when the answer names no subaccount', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('order-issued.json')));

    await expect(client.subaccountOrder(123456)).rejects.toMatchObject({
      code: 'invalid_response',
      endpoint: 'subaccountOrder',
      message: expect.stringMatching(/: subaccount is missing$/),
    });
  });

  it('answers not found for a 404', async () => {
    const { client } = clientFor();
    server.answer(vendorError(404, 'not_found'));

    expect(await client.subaccountOrder(9)).toEqual({ found: false, status: 404 });
  });
});

describe('CertCentralClient.duplicates', () => {
  it('lists the duplicates of the seed example', async () => {
    const { client } = clientFor();
    server.answer(json(200, fixture('duplicates.json')));

    const duplicates = await client.duplicates(123456);

    expect(server.requests[0]?.path).toBe('/services/v2/order/certificate/123456/duplicate');
    expect(duplicates).toEqual([
      {
        id: 12345,
        status: 'approved',
        commonName: 'example.com',
        dnsNames: ['sub.example.com'],
        validFrom: '2016-03-23',
        validTill: '2019-03-28',
      },
      {
        id: 23456,
        status: 'rejected',
        commonName: 'anewdomain.com',
        dnsNames: ['sub.anewdomain.com'],
        validFrom: null,
        validTill: null,
      },
      {
        id: 34567,
        status: 'pending',
        commonName: 'example.net',
        dnsNames: ['sub.example.net'],
        validFrom: null,
        validTill: null,
      },
    ]);
  });

  it('answers no duplicates for a 404', async () => {
    const { client } = clientFor();
    server.answer(vendorError(404, 'not_found'));

    expect(await client.duplicates(123456)).toEqual([]);
  });

  it('answers null (may not list them) for a 403 that is not about the key', async () => {
    const { client } = clientFor();
    server.answer(vendorError(403, 'access_denied|missing_permission'));

    expect(await client.duplicates(123456)).toBeNull();
  });
});

describe('CertCentralClient.stats', () => {
  it('counts calls per endpoint, retries, 429s and the time spent waiting for the rate limiter', async () => {
    const { client } = clientFor({ limits: [{ limit: 2, windowMs: 1_000 }], marginMs: 0 });
    server.answer(
      vendorError(429, 'request_limit_exceeded'),
      json(200, fixture('order-issued.json')),
      json(200, fixture('subaccount-order-issued.json')),
      json(200, fixture('duplicates.json')),
    );

    await client.order(123456);
    await client.subaccountOrder(123457);
    await client.duplicates(123456);

    expect(client.stats()).toEqual({
      calls: { report: 0, order: 2, subaccountOrder: 1, duplicates: 1 },
      totalCalls: 4,
      retries: 1,
      throttled: 1,
      pages: 0,
      rows: 0,
      skippedRows: 0,
      limiterWaitMs: 1_000,
    });
  });
});

describe('CertCentralClient options', () => {
  const base = { baseUrl: 'https://www.digicert.com/services/v2', apiKey: API_KEY };

  it.each([
    [{ pageSize: 0 }, 'pageSize: 0 is not a whole number from 1 to 100000'],
    [{ timeoutMs: -1 }, 'timeoutMs: -1 is not a whole number from 1 to 86400000'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts: 0 is not a whole number from 1 to 100'],
    [
      { limits: [{ limit: 1.5, windowMs: 1_000 }] },
      'limits[0].limit: 1.5 is not a whole number from 1 to 1000000',
    ],
    [{ limits: [] }, 'limits: [] is empty: give at least one rate window'],
    [{ baseUrl: 'www.digicert.com' }, 'baseUrl: "www.digicert.com" is not a URL'],
    [{ apiKey: ' ' }, 'apiKey: "" is empty: the CertCentral API key is required'],
    [
      { apiKey: `${API_KEY}\n` },
      'apiKey: "(hidden)" has a character an HTTP header cannot carry (a line break, a control or non-ASCII character)',
    ],
    [{ maxReportRows: 0 }, 'maxReportRows: 0 is not a whole number from 1 to 1000000000'],
    [
      { baseUrl: 'http://certcentral.example.com/services/v2' },
      'baseUrl: "http://certcentral.example.com/services/v2" is plain http to another machine',
    ],
  ])('refuses %o with a ConfigError naming the option', (override, message) => {
    expect(() => new CertCentralClient({ ...base, ...override })).toThrow(ConfigError);
    expect(() => new CertCentralClient({ ...base, ...override })).toThrow(message);
  });
});
