import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimAccount, type SimOrder } from '../certcentral-sim/account.ts';
import { SUBACCOUNTS } from '../certcentral-sim/catalog.ts';
import { addDays, daysBetween } from '../certcentral-sim/dates.ts';
import { SimulatorInputError } from '../certcentral-sim/errors.ts';
import { generateAccount, sampleAccount } from '../certcentral-sim/generate.ts';
import { type Simulator, startSimulator } from '../certcentral-sim/server.ts';

const API_KEY = 'sim-key-0123456789abcdef';
const TODAY = '2026-11-23';
const NOON = Date.parse(`${TODAY}T12:00:00Z`);

const seedExample = (name: string): string =>
  readFileSync(new URL(`../certcentral-sim/seed-examples/${name}`, import.meta.url), 'utf8');
const seedJson = (name: string): unknown => JSON.parse(seedExample(name));
const SEED_REPORT_HEADER = seedExample('report-order.csv').split('\n')[0];

type ReportRecord = Record<string, string>;

async function get(sim: Simulator, path: string, apiKey: string | null = API_KEY): Promise<Response> {
  return fetch(`${sim.url}${path}`, { headers: apiKey === null ? {} : { 'X-DC-DEVKEY': apiKey } });
}

async function getJson(sim: Simulator, path: string): Promise<{ status: number; body: unknown }> {
  const response = await get(sim, path);
  return { status: response.status, body: await response.json() };
}

async function report(sim: Simulator, query = ''): Promise<ReportRecord[]> {
  const response = await get(sim, `/report/order${query}`);
  expect(response.status).toBe(200);
  return parse(await response.text(), { columns: true }) as ReportRecord[];
}

/** The JSON types of a value, keeping the keys of objects and the first element of arrays. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return value === null ? 'null' : typeof value;
}

const byCommonName = (account: SimAccount, commonName: string): SimOrder => {
  const order = account.orders().find((candidate) => candidate.commonName === commonName);
  if (!order) throw new Error(`no order for ${commonName}`);
  return order;
};

describe('the order report', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ account: sampleAccount(TODAY), apiKey: API_KEY, now: () => NOON });
  });
  afterEach(() => sim.close());

  it("writes the seed's header and quotes every value, as text/csv", async () => {
    const response = await get(sim, '/report/order');
    const text = await response.text();

    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = text.split('\n');
    expect(header).toBe(SEED_REPORT_HEADER);
    const quotedRows = /^("(?:[^"]|"")*"(?:,"(?:[^"]|"")*"){57}\n)*$/;
    expect(rows.join('\n')).toMatch(quotedRows);
  });

  it('parses back to the orders, with multi-line CSRs, quotes, commas and 0x1f-separated metadata', async () => {
    const records = await report(sim);

    const orders = sim.account.orders();
    expect(records.map((record) => Number(record.order_id))).toEqual(orders.map((order) => order.id));
    for (const [index, record] of records.entries()) {
      const order = orders[index] as SimOrder;
      expect(record).toMatchObject({
        status: order.reportStatus ?? order.status,
        common_name: order.commonName,
        dns_names: order.dnsNames.join(','),
        valid_till: order.validTill ?? '',
        container_name: order.container.name,
        organization_name: order.organization.name,
        csr: order.csr,
        metadata: order.metadata.flatMap((field) => [field.id, field.label, field.value]).join('\x1f'),
        is_renewed: order.isRenewed ? '1' : '0',
        has_duplicates: order.duplicates.length > 0 ? '1' : '0',
      });
    }
    expect(records.some((record) => record.csr?.split('\n').length === 19)).toBe(true);
    expect(records.some((record) => record.organization_name === 'Example Widgets "Nord" GmbH')).toBe(true);
    expect(records.some((record) => record.container_name === 'Finance, Legal & Compliance')).toBe(true);
    expect(records.some((record) => record.metadata?.includes('CC-7, "Web" team'))).toBe(true);
  });

  it('points a renewal back to the order it renews and writes "0" elsewhere, as the seed does', async () => {
    const records = await report(sim);

    const renewal = records.find(
      (record) => record.common_name === 'cdn.example.com' && record.is_renewed === '0',
    );
    const renewed = records.find(
      (record) => record.common_name === 'cdn.example.com' && record.is_renewed === '1',
    );
    expect(renewal?.renewed_order_id).toBe(renewed?.order_id);
    expect(renewed?.renewed_order_id).toBe('0');
  });

  it('leaves validity dates and certificate values empty on orders with no certificate issued', async () => {
    const records = await report(sim);

    const pending = records.find((record) => record.common_name === 'new-site.example.com');
    expect(pending).toMatchObject({ status: 'pending', valid_from: '', valid_till: '', thumbprint: '' });
  });
});

describe('report paging', () => {
  let sim: Simulator;
  beforeAll(async () => {
    const account = generateAccount({ seed: 3, orders: 2500, today: TODAY });
    sim = await startSimulator({ account, apiKey: API_KEY, rateLimits: false, maxPageSize: 2000 });
  });
  afterAll(() => sim.close());

  it('serves 1000 rows from offset 0 by default, sorted by order id', async () => {
    const page = await report(sim);

    const firstIds = sim.account
      .orders()
      .slice(0, 1000)
      .map((order) => String(order.id));
    expect(page.map((record) => record.order_id)).toEqual(firstIds);
  });

  it('walks the whole report with limit and offset, ending on a short page', async () => {
    const pages = [await report(sim, '?limit=1000&offset=0'), await report(sim, '?limit=1000&offset=1000')];
    pages.push(await report(sim, '?limit=1000&offset=2000'));

    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500]);
    const ids = pages.flat().map((record) => Number(record.order_id));
    expect(ids).toEqual(sim.account.orders().map((order) => order.id));
  });

  it('answers a page past the end with the header alone', async () => {
    const response = await get(sim, '/report/order?offset=2500');

    expect(await response.text()).toBe(`${SEED_REPORT_HEADER}\n`);
  });

  it('counts offsets over the rows of the report only', async () => {
    const hidden = sim.account.orders()[1] as SimOrder;
    hidden.inReport = false;
    try {
      const page = await report(sim, '?limit=2&offset=1');
      expect(page.map((record) => Number(record.order_id))).toEqual([
        sim.account.orders()[2]?.id,
        sim.account.orders()[3]?.id,
      ]);
    } finally {
      hidden.inReport = true;
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2001', 'limit'],
    ['offset=-1', 'offset'],
  ])('refuses %s with 400 bad_request_format naming the parameter', async (query, name) => {
    const response = await get(sim, `/report/order?${query}`);

    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({
      errors: [{ code: 'bad_request_format', message: expect.stringContaining(name) }],
    });
  });

  it('serves a 1000-row page deep into a bench-size account of 100,000 orders', async () => {
    const bench = await startSimulator({
      account: generateAccount({ seed: 11, orders: 100_000, today: TODAY }),
      apiKey: API_KEY,
      rateLimits: false,
    });
    try {
      const page = await report(bench, '?limit=1000&offset=99000');
      expect(page).toHaveLength(1000);
      expect(page.at(-1)?.order_id).toBe(String(bench.account.orders().at(-1)?.id));
    } finally {
      await bench.close();
    }
  });
});

describe('order info, GET /order/certificate/{id}', () => {
  let sim: Simulator;
  let now = NOON;
  beforeAll(async () => {
    sim = await startSimulator({ account: sampleAccount(TODAY), apiKey: API_KEY, now: () => now });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    now = NOON;
  });

  it("has every field of the seed's issued example, with days_remaining counted from the simulator's now", async () => {
    const order = byCommonName(sim.account, 'shop.example.com');
    const { status, body } = await getJson(sim, `/order/certificate/${order.id}`);

    expect(status).toBe(200);
    expect(shapeOf(body)).toMatchObject(shapeOf(seedJson('order-issued.json')) as object);
    expect(body).toMatchObject({
      id: order.id,
      status: 'issued',
      certificate: { id: order.certificateId, valid_till: order.validTill, days_remaining: 61 },
      container: { name: order.container.name },
      technical_contact: { email: order.technicalContact.email },
    });

    now = NOON + 86_400_000;
    expect((await getJson(sim, `/order/certificate/${order.id}`)).body).toMatchObject({
      certificate: { days_remaining: 60 },
    });
  });

  it("answers a needs_approval order like the seed's example: no validity dates, no thumbprint", async () => {
    const order = sim.account.addOrder({
      status: 'needs_approval',
      metadata: [{ id: 12, label: 'Invoice #', value: '123456' }],
    });
    const { body } = await getJson(sim, `/order/certificate/${order.id}`);

    expect(shapeOf(body)).toMatchObject(shapeOf(seedJson('order-needs-approval.json')) as object);
    expect(body).toMatchObject({ status: 'needs_approval' });
    expect(body).not.toHaveProperty('certificate.valid_till');
    expect(body).not.toHaveProperty('certificate.thumbprint');
  });

  it('marks the renewed order and points the renewal back to it', async () => {
    const [renewed, renewal] = sim.account.orders().filter((order) => order.commonName === 'cdn.example.com');
    const previous = (await getJson(sim, `/order/certificate/${renewed?.id}`)).body;
    const next = (await getJson(sim, `/order/certificate/${renewal?.id}`)).body;

    expect(previous).toMatchObject({ is_renewed: true, is_renewal: false });
    expect(previous).not.toHaveProperty('renewed_order_id');
    expect(next).toMatchObject({ is_renewed: false, is_renewal: true, renewed_order_id: renewed?.id });
  });

  it('says the order is revoked while the report still says issued, when the report lags', async () => {
    const order = byCommonName(sim.account, 'checkout.example.com');
    const row = (await report(sim)).find((record) => record.order_id === String(order.id));

    expect(row?.status).toBe('issued');
    expect((await getJson(sim, `/order/certificate/${order.id}`)).body).toMatchObject({ status: 'revoked' });
  });

  it.each(['999999', 'not-a-number'])('answers 404 not_found|order for order %s', async (id) => {
    const { status, body } = await getJson(sim, `/order/certificate/${id}`);

    expect(status).toBe(404);
    expect(body).toEqual({ errors: [{ code: 'not_found|order', message: expect.any(String) }] });
  });

  it('answers 404 for a subaccount order, or 403 missing_permission when the subaccount refuses access', async () => {
    const notFound = byCommonName(sim.account, 'partner.example.net');
    const refused = sim.account.addOrder({
      commonName: 'refused.example.net',
      subaccount: SUBACCOUNTS.find((subaccount) => subaccount.orderEndpointStatus === 403),
    });

    expect((await getJson(sim, `/order/certificate/${notFound.id}`)).status).toBe(404);
    const { status, body } = await getJson(sim, `/order/certificate/${refused.id}`);
    expect(status).toBe(403);
    expect(body).toMatchObject({ errors: [{ code: 'access_denied|missing_permission' }] });
  });
});

describe('subaccount order info, GET /account/subaccount/order/{id}', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ account: new SimAccount([], TODAY), apiKey: API_KEY, now: () => NOON });
  });
  afterAll(() => sim.close());
  const [immediate, , , notImmediate] = SUBACCOUNTS;

  it("answers an immediate subaccount's issued order like the seed's issued example, without days_remaining", async () => {
    const order = sim.account.addOrder({ validTill: addDays(TODAY, 20), subaccount: immediate });
    const { status, body } = await getJson(sim, `/account/subaccount/order/${order.id}`);

    expect(status).toBe(200);
    expect(shapeOf(body)).toMatchObject(shapeOf(seedJson('subaccount-order-issued.json')) as object);
    expect(body).toMatchObject({
      certificate: { id: order.certificateId, valid_till: order.validTill },
      subaccount: { account_id: immediate?.accountId, organization_name: immediate?.organizationName },
    });
    expect(body).not.toHaveProperty('certificate.days_remaining');
  });

  it("answers an immediate subaccount's pending order like the seed's pending example", async () => {
    const order = sim.account.addOrder({ status: 'pending', subaccount: immediate });
    const { body } = await getJson(sim, `/account/subaccount/order/${order.id}`);

    expect(shapeOf(body)).toMatchObject(shapeOf(seedJson('subaccount-order-pending.json')) as object);
    expect(body).not.toHaveProperty('certificate.valid_till');
  });

  it('leaves out certificate and organization for the order of a subaccount that is not immediate', async () => {
    const order = sim.account.addOrder({ validTill: addDays(TODAY, 20), subaccount: notImmediate });
    const { body } = await getJson(sim, `/account/subaccount/order/${order.id}`);

    expect(shapeOf(body)).toMatchObject(shapeOf(seedJson('subaccount-order-not-immediate.json')) as object);
    expect(body).not.toHaveProperty('certificate');
    expect(body).not.toHaveProperty('organization');
  });

  it('answers 404 not_found|order for an order of the account itself', async () => {
    const order = sim.account.addOrder({});
    const { status, body } = await getJson(sim, `/account/subaccount/order/${order.id}`);

    expect(status).toBe(404);
    expect(body).toMatchObject({ errors: [{ code: 'not_found|order' }] });
  });
});

describe('duplicates, GET /order/certificate/{id}/duplicate', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ account: new SimAccount([], TODAY), apiKey: API_KEY, now: () => NOON });
  });
  afterAll(() => sim.close());

  it("lists each duplicate like the seed's examples: validity and thumbprint only once approved or issued", async () => {
    const order = sim.account.addOrder({ validTill: addDays(TODAY, 9) });
    const approved = sim.account.addDuplicate(order.id, { status: 'approved' });
    const pending = sim.account.addDuplicate(order.id, { status: 'pending', commonName: 'dup.example.com' });
    const { status, body } = await getJson(sim, `/order/certificate/${order.id}/duplicate`);

    expect(status).toBe(200);
    const [seedApproved, , seedPending] = (seedJson('duplicates.json') as { certificates: unknown[] })
      .certificates;
    const [listedApproved, listedPending] = (body as { certificates: unknown[] }).certificates;
    expect(shapeOf(listedApproved)).toMatchObject(shapeOf(seedApproved) as object);
    expect(shapeOf(listedPending)).toMatchObject(shapeOf(seedPending) as object);
    expect(listedApproved).toMatchObject({ id: approved.id, valid_till: order.validTill, days_remaining: 9 });
    expect(listedPending).toMatchObject({
      id: pending.id,
      status: 'pending',
      common_name: 'dup.example.com',
    });
    expect(listedPending).not.toHaveProperty('valid_till');
  });

  it('answers an empty list for an order without duplicates, 404 for an unknown order', async () => {
    const order = sim.account.addOrder({});

    expect((await getJson(sim, `/order/certificate/${order.id}/duplicate`)).body).toEqual({
      certificates: [],
    });
    expect((await getJson(sim, '/order/certificate/424242/duplicate')).status).toBe(404);
  });
});

describe('changes to the account between scans', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ account: new SimAccount([], TODAY), apiKey: API_KEY, now: () => NOON });
  });
  afterEach(() => sim.close());
  const row = async (orderId: number): Promise<ReportRecord | undefined> =>
    (await report(sim)).find((record) => record.order_id === String(orderId));

  it('revokes an order in the report and the detail alike, unless the report lags', async () => {
    const plain = sim.account.addOrder({});
    const lagging = sim.account.addOrder({});
    sim.account.revoke(plain.id);
    sim.account.revoke(lagging.id, { reportLags: true });

    expect((await row(plain.id))?.status).toBe('revoked');
    expect((await row(lagging.id))?.status).toBe('issued');
    expect((await getJson(sim, `/order/certificate/${lagging.id}`)).body).toMatchObject({
      status: 'revoked',
    });
  });

  it('renews an order with an issued or a pending renewal', async () => {
    const first = sim.account.addOrder({ validTill: addDays(TODAY, 5) });
    const second = sim.account.addOrder({ validTill: addDays(TODAY, 5) });
    const issued = sim.account.renew(first.id, { status: 'issued', validTill: addDays(TODAY, 400) });
    const pending = sim.account.renew(second.id, { status: 'pending' });

    expect(await row(first.id)).toMatchObject({ is_renewed: '1' });
    expect(await row(issued.id)).toMatchObject({
      status: 'issued',
      renewed_order_id: String(first.id),
      valid_till: addDays(TODAY, 400),
      common_name: first.commonName,
    });
    expect(await row(pending.id)).toMatchObject({ status: 'pending', renewed_order_id: String(second.id) });
    expect((await row(pending.id))?.valid_till).toBe('');
  });

  it('reissues an order with a later valid_till and a new certificate, and refuses an earlier one', async () => {
    const order = sim.account.addOrder({ validTill: addDays(TODAY, 5) });
    const oldCertificate = order.certificateId;
    sim.account.reissue(order.id, addDays(TODAY, 300));

    expect((await row(order.id))?.valid_till).toBe(addDays(TODAY, 300));
    const { body } = await getJson(sim, `/order/certificate/${order.id}`);
    expect(body).toMatchObject({ certificate: { valid_till: addDays(TODAY, 300), id: order.certificateId } });
    expect(order.certificateId).not.toBe(oldCertificate);
    expect(() => sim.account.reissue(order.id, addDays(TODAY, 100))).toThrow(SimulatorInputError);
  });

  it('adds a duplicate that the report flags and the duplicate endpoint lists', async () => {
    const order = sim.account.addOrder({ validTill: addDays(TODAY, 30) });
    expect((await row(order.id))?.has_duplicates).toBe('0');

    const duplicate = sim.account.addDuplicate(order.id, { status: 'issued' });

    expect((await row(order.id))?.has_duplicates).toBe('1');
    const listed = (await getJson(sim, `/order/certificate/${order.id}/duplicate`)).body;
    expect(listed).toEqual({
      certificates: [expect.objectContaining({ id: duplicate.id, valid_till: addDays(TODAY, 30) })],
    });
  });

  it('keeps an order out of the report while inReport is false, though its detail answers', async () => {
    const order = sim.account.addOrder({ inReport: false });

    expect(await row(order.id)).toBeUndefined();
    expect((await getJson(sim, `/order/certificate/${order.id}`)).status).toBe(200);
  });

  it('refuses changes to orders it does not hold and dates that do not exist', () => {
    expect(() => sim.account.revoke(1)).toThrow(/order 1 is not in the simulated account/);
    expect(() => sim.account.addOrder({ validTill: '2026-02-30' })).toThrow(/validTill: "2026-02-30"/);
  });
});

describe('authentication', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ account: sampleAccount(TODAY), apiKey: API_KEY });
  });
  afterAll(() => sim.close());

  it('answers 401 in the error envelope when X-DC-DEVKEY is missing', async () => {
    const response = await get(sim, '/report/order', null);

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ code: expect.stringMatching(/^access_denied/), message: expect.any(String) }],
    });
  });

  it('answers 403 access_denied|access_denied_invalid_key for a wrong key, naming neither key', async () => {
    const wrongKey = 'wrong-key-fedcba9876543210';
    const response = await get(sim, '/order/certificate/100001', wrongKey);
    const text = await response.text();

    expect(response.status).toBe(403);
    expect(JSON.parse(text).errors[0].code).toBe('access_denied|access_denied_invalid_key');
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(API_KEY);
  });

  it('counts refused requests in total only', async () => {
    sim.resetCounters();
    await get(sim, '/report/order', 'wrong');

    expect(sim.calls).toMatchObject({ total: 1, report: 0 });
  });
});

describe('rate limits', () => {
  let now = NOON;
  let sim: Simulator;
  afterEach(() => sim.close());
  const statuses = async (count: number): Promise<number[]> =>
    Promise.all(
      Array.from({ length: count }, async () => (await get(sim, '/order/certificate/100001')).status),
    );

  it("refuses the 101st request in 5 seconds with DigiCert's 429, until the window rolls", async () => {
    now = NOON;
    sim = await startSimulator({ account: sampleAccount(TODAY), apiKey: API_KEY, now: () => now });

    expect(new Set(await statuses(100))).toEqual(new Set([200]));
    const refused = await get(sim, '/order/certificate/100001');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      errors: [
        { code: 'request_limit_exceeded', message: 'Service unavailable, please limit request volume' },
      ],
    });
    expect(refused.headers.get('retry-after')).toBeNull();

    now += 4_999;
    expect((await get(sim, '/order/certificate/100001')).status).toBe(429);
    now += 2;
    expect((await get(sim, '/order/certificate/100001')).status).toBe(200);
    expect(sim.calls.throttled).toBe(2);
  });

  it('enforces every rolling window, counting accepted requests only', async () => {
    now = NOON;
    const windows = [
      { limit: 3, windowMs: 1_000 },
      { limit: 5, windowMs: 10_000 },
    ];
    sim = await startSimulator({
      account: sampleAccount(TODAY),
      apiKey: API_KEY,
      now: () => now,
      rateLimits: { windows },
    });

    expect(await statuses(4)).toEqual(expect.arrayContaining([200, 200, 200, 429]));
    now += 1_001;
    expect((await statuses(3)).sort()).toEqual([200, 200, 429]);
    now += 1_001;
    expect(await statuses(1)).toEqual([429]);
    now = NOON + 10_001;
    expect(await statuses(1)).toEqual([200]);
  });

  it('does not count requests with a wrong key', async () => {
    now = NOON;
    sim = await startSimulator({
      account: sampleAccount(TODAY),
      apiKey: API_KEY,
      now: () => now,
      rateLimits: { windows: [{ limit: 1, windowMs: 1_000 }] },
    });

    await get(sim, '/report/order', 'wrong');
    expect((await get(sim, '/report/order')).status).toBe(200);
  });

  it('enforces nothing with rateLimits false', async () => {
    sim = await startSimulator({
      account: sampleAccount(TODAY),
      apiKey: API_KEY,
      now: () => NOON,
      rateLimits: false,
    });

    expect(new Set(await statuses(150))).toEqual(new Set([200]));
  });
});

describe('fault injection', () => {
  let sim: Simulator;
  let slept: number[];
  beforeEach(async () => {
    slept = [];
    sim = await startSimulator({
      account: sampleAccount(TODAY),
      apiKey: API_KEY,
      rateLimits: false,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  });
  afterEach(() => sim.close());
  const order = (): Promise<Response> => get(sim, '/order/certificate/100001');

  it('throttles the next n requests with 429 request_limit_exceeded and no Retry-After', async () => {
    sim.faults.throttle = 2;

    const [first, second, third] = [await order(), await order(), await order()];

    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(await first.json()).toMatchObject({ errors: [{ code: 'request_limit_exceeded' }] });
    expect(first.headers.get('retry-after')).toBeNull();
    expect(sim.calls).toMatchObject({ throttled: 2, faultsInjected: 2, order: 1, total: 3 });
  });

  it('sends Retry-After with the injected 429 when retryAfterSeconds is set', async () => {
    sim.faults.throttle = 1;
    sim.faults.retryAfterSeconds = 7;

    expect((await order()).headers.get('retry-after')).toBe('7');
  });

  it('answers 503 in the JSON error envelope', async () => {
    sim.faults.serverError = 1;

    const response = await order();

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      errors: [{ code: expect.any(String), message: expect.any(String) }],
    });
    expect((await order()).status).toBe(200);
  });

  it("answers 502 with a CDN's HTML page", async () => {
    sim.faults.htmlError = 1;

    const response = await get(sim, '/report/order');

    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/^<html>/);
  });

  it('resets the connection without an answer', async () => {
    sim.faults.reset = 1;

    await expect(order()).rejects.toThrow(TypeError);
    expect((await order()).status).toBe(200);
    expect(sim.calls.faultsInjected).toBe(1);
  });

  it('never answers a hung request, until the client gives up', async () => {
    sim.faults.hang = 1;
    const abort = new AbortController();
    const settled = vi.fn();

    const hung = fetch(`${sim.url}/order/certificate/100001`, {
      headers: { 'X-DC-DEVKEY': API_KEY },
      signal: abort.signal,
    }).finally(settled);
    await vi.waitFor(() => expect(sim.calls.faultsInjected).toBe(1));
    expect((await order()).status).toBe(200);

    expect(settled).not.toHaveBeenCalled();
    abort.abort();
    await expect(hung).rejects.toThrow(/abort/i);
  });

  it('closes even with a hung request open', async () => {
    sim.faults.hang = 1;
    const hung = order().catch((error: unknown) => error);
    await vi.waitFor(() => expect(sim.calls.faultsInjected).toBe(1));

    await sim.close();

    expect(await hung).toBeInstanceOf(TypeError);
  });

  it('adds latencyMs before every answer, through the injected sleep', async () => {
    sim.faults.latencyMs = 250;

    expect((await order()).status).toBe(200);
    expect((await order()).status).toBe(200);
    expect(slept).toEqual([250, 250]);
  });

  it('applies one fault per request: reset before throttle when both are set', async () => {
    sim.faults.reset = 1;
    sim.faults.throttle = 1;

    await expect(order()).rejects.toThrow(TypeError);
    expect((await order()).status).toBe(429);
    expect((await order()).status).toBe(200);
  });
});

describe('counters', () => {
  it('counts the requests each endpoint answered, and resets', async () => {
    const sim = await startSimulator({ account: sampleAccount(TODAY), apiKey: API_KEY, rateLimits: false });
    try {
      const subaccountOrder = byCommonName(sim.account, 'partner.example.net');
      await get(sim, '/report/order');
      await get(sim, '/order/certificate/100001');
      await get(sim, '/order/certificate/100001/duplicate');
      await get(sim, `/account/subaccount/order/${subaccountOrder.id}`);
      await get(sim, '/nowhere');

      expect(sim.calls).toEqual({
        report: 1,
        order: 1,
        subaccountOrder: 1,
        duplicates: 1,
        total: 5,
        throttled: 0,
        faultsInjected: 0,
      });
      sim.resetCounters();
      expect(sim.calls.total).toBe(0);
    } finally {
      await sim.close();
    }
  });
});

describe('generateAccount', () => {
  const account = generateAccount({ seed: 42, orders: 20_000, today: TODAY });
  const orders = account.orders();
  const share = (matching: (order: SimOrder) => boolean): number =>
    orders.filter(matching).length / orders.length;
  const daysLeft = (order: SimOrder): number => daysBetween(TODAY, order.validTill as string);
  const inRenewalPair = (order: SimOrder): boolean => order.isRenewed || order.renewedOrderId !== null;
  const plain = (order: SimOrder): boolean =>
    !inRenewalPair(order) && order.subaccount === null && order.duplicates.length === 0;

  it('gives the same account for the same seed, another for another seed', () => {
    const again = generateAccount({ seed: 42, orders: 20_000, today: TODAY });
    const other = generateAccount({ seed: 43, orders: 20_000, today: TODAY });

    expect(again.orders()).toEqual(orders);
    expect(other.orders().map((order) => order.validTill)).not.toEqual(
      orders.map((order) => order.validTill),
    );
  });

  it('holds exactly the orders asked for, with distinct consecutive ids', () => {
    expect(account.size).toBe(20_000);
    expect(orders[0]?.id).toBe(100_001);
    expect(orders.at(-1)?.id).toBe(120_000);
  });

  it('spreads plain issued orders from 60 days ago to 400 days ahead', () => {
    const issued = orders.filter((order) => plain(order) && order.status === 'issued');
    const days = issued.map(daysLeft);

    expect(Math.min(...days)).toBe(-60);
    expect(Math.max(...days)).toBe(400);
    expect(
      share((order) => plain(order) && order.status === 'issued' && daysLeft(order) <= 30),
    ).toBeGreaterThan(0.1);
  });

  it('puts about 10% in other statuses, dated only when a certificate was issued', () => {
    const others = orders.filter((order) => plain(order) && order.status !== 'issued');

    expect(others.length / orders.length).toBeGreaterThan(0.08);
    expect(others.length / orders.length).toBeLessThan(0.12);
    const statuses = new Set(others.map((order) => order.status));
    for (const status of ['pending', 'revoked', 'rejected', 'canceled', 'needs_approval', 'expired']) {
      expect(statuses).toContain(status);
    }
    for (const order of others) {
      expect(order.validTill === null).toBe(
        !['revoked', 'expired', 'reissue_pending'].includes(order.status),
      );
    }
  });

  it('makes about 5% renewal pairs: the renewal points to an is_renewed order it outlasts, or is pending', () => {
    const renewals = orders.filter((order) => order.renewedOrderId !== null);

    expect(share(inRenewalPair)).toBeGreaterThan(0.04);
    expect(share(inRenewalPair)).toBeLessThan(0.06);
    for (const renewal of renewals) {
      const previous = account.get(renewal.renewedOrderId as number);
      expect(previous.isRenewed).toBe(true);
      if (renewal.status === 'issued')
        expect(daysBetween(previous.validTill as string, renewal.validTill as string)).toBeGreaterThan(0);
      else expect(renewal).toMatchObject({ status: 'pending', validTill: null });
    }
    expect(new Set(renewals.map((renewal) => renewal.status))).toEqual(new Set(['issued', 'pending']));
  });

  it('gives about 3% of orders one to three duplicates of mixed statuses, sharing valid_till once certified', () => {
    const withDuplicates = orders.filter((order) => order.duplicates.length > 0);
    const duplicates = withDuplicates.flatMap((order) =>
      order.duplicates.map((duplicate) => ({ order, duplicate })),
    );

    expect(withDuplicates.length / orders.length).toBeGreaterThan(0.02);
    expect(withDuplicates.length / orders.length).toBeLessThan(0.04);
    expect(new Set(withDuplicates.map((order) => order.duplicates.length))).toEqual(new Set([1, 2, 3]));
    expect(new Set(duplicates.map(({ duplicate }) => duplicate.status))).toEqual(
      new Set(['issued', 'approved', 'pending', 'rejected']),
    );
    for (const { order, duplicate } of duplicates) {
      const certified = duplicate.status === 'issued' || duplicate.status === 'approved';
      expect(duplicate.validTill).toBe(certified ? order.validTill : null);
    }
  });

  it('places about 3% with subaccounts, in the report, some refused with 403 and some not immediate', () => {
    const subaccountOrders = orders.filter((order) => order.subaccount !== null);

    expect(subaccountOrders.length / orders.length).toBeGreaterThan(0.02);
    expect(subaccountOrders.length / orders.length).toBeLessThan(0.04);
    expect(subaccountOrders.every((order) => order.inReport)).toBe(true);
    expect(subaccountOrders.some((order) => order.subaccount?.orderEndpointStatus === 403)).toBe(true);
    expect(subaccountOrders.some((order) => order.subaccount?.orderEndpointStatus === 404)).toBe(true);
    expect(subaccountOrders.some((order) => order.subaccount?.immediate === false)).toBe(true);
  });

  it('follows a mix given in the options', () => {
    const quiet = generateAccount({
      seed: 1,
      orders: 1000,
      today: TODAY,
      otherStatuses: 0,
      renewals: 0,
      duplicates: 0,
      subaccounts: 0,
    });

    expect(quiet.orders().every((order) => order.status === 'issued' && plain(order))).toBe(true);
  });

  it.each([
    [{ orders: -1 }, /orders: -1/],
    [{ today: '23/11/2026' }, /today: "23\/11\/2026"/],
    [{ renewals: 2 }, /renewals: 2/],
    [{ otherStatuses: 0.6, renewals: 0.6 }, /add up to/],
  ])('refuses %o', (options, message) => {
    expect(() => generateAccount({ seed: 1, orders: 10, today: TODAY, ...options })).toThrow(message);
  });
});

describe('sampleAccount', () => {
  const account = sampleAccount(TODAY);
  const orders = account.orders();

  it('holds issued certificates at every demo distance from expiry', () => {
    const issuedDays = orders
      .filter((order) => order.status === 'issued' && !order.isRenewed && order.renewedOrderId === null)
      .filter(
        (order) => order.duplicates.length === 0 && order.subaccount === null && order.reportStatus === null,
      )
      .map((order) => daysBetween(TODAY, order.validTill as string));

    expect(issuedDays).toEqual([95, 61, 45, 30, 20, 14, 10, 7, 5, 3, 1, 0, -1, -20, -40]);
  });

  it('shows a renewed order, a pending renewal, duplicates, a subaccount order, revoked and pending orders', () => {
    const renewals = orders.filter((order) => order.renewedOrderId !== null);

    expect(account.size).toBe(25);
    expect(renewals.map((renewal) => renewal.status).sort()).toEqual(['issued', 'pending']);
    expect(renewals.every((renewal) => account.get(renewal.renewedOrderId as number).isRenewed)).toBe(true);
    expect(orders.some((order) => order.duplicates.some((duplicate) => duplicate.status === 'issued'))).toBe(
      true,
    );
    expect(orders.filter((order) => order.subaccount !== null)).toHaveLength(1);
    expect(
      orders
        .filter((order) => order.status === 'revoked')
        .map((order) => order.reportStatus)
        .sort(),
    ).toEqual(['issued', null]);
    expect(
      orders.filter((order) => order.status === 'pending' && order.renewedOrderId === null),
    ).toHaveLength(1);
    expect(orders.filter((order) => order.status === 'needs_approval')).toHaveLength(1);
  });
});
