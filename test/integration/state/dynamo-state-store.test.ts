import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config.ts';
import type { ClaimRequest } from '../../../functions/core/ports.ts';
import {
  CorruptStateItemError,
  DynamoStateStore,
  InvalidClaimError,
} from '../../../functions/state/dynamo-state-store.ts';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.ts';

const NOW = new Date('2026-11-23T06:00:00Z');
const minutesLater = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const alert = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  certKey: 'order#1001',
  orderId: 1001,
  kind: 'alert',
  level: 30,
  validTill: '2026-12-20',
  ...overrides,
});
const renewed = (overrides: Partial<ClaimRequest> = {}): ClaimRequest =>
  alert({ kind: 'renewed', level: null, ...overrides });

let dynamo: LocalDynamoDB;
let table: string;
let store: DynamoStateStore;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  table = await dynamo.freshTable();
  store = new DynamoStateStore(dynamo.doc, table);
});

async function announce(request: ClaimRequest, now = NOW): Promise<void> {
  const claim = await store.claim(request, now);
  if (!claim) throw new Error(`could not claim ${JSON.stringify(request)}`);
  await store.markSent(claim, now);
}

async function rawItem(certKey: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.doc.send(
    new GetCommand({ TableName: table, Key: { certKey }, ConsistentRead: true }),
  );
  return Item;
}

describe('DynamoStateStore alert claims', () => {
  it('announces a level once per valid_till', async () => {
    await announce(alert({ level: 30 }));

    expect(await store.claim(alert({ level: 30 }), minutesLater(1))).toBeNull();
    expect((await store.loadAll()).certificates).toEqual(
      new Map([
        ['order#1001', { certKey: 'order#1001', orderId: 1001, validTill: '2026-12-20', announced: 30 }],
      ]),
    );
  });

  it('lets a tighter level through after a looser one, and not the other way round', async () => {
    await announce(alert({ level: 30 }));

    const tighter = await store.claim(alert({ level: 7 }), minutesLater(1));
    expect(tighter).toMatchObject({ level: 7, token: expect.any(String) });
    if (tighter) await store.markSent(tighter, minutesLater(1));

    expect(await store.claim(alert({ level: 14 }), minutesLater(2))).toBeNull();
    expect(await store.claim(alert({ level: 30 }), minutesLater(2))).toBeNull();
    expect((await store.loadAll()).certificates.get('order#1001')?.announced).toBe(7);
  });

  it("treats 'expired' as tighter than any threshold", async () => {
    await announce(alert({ level: 1 }));
    await announce(alert({ level: 'expired' }), minutesLater(1));

    expect(await store.claim(alert({ level: 0 }), minutesLater(2))).toBeNull();
    expect((await store.loadAll()).certificates.get('order#1001')?.announced).toBe('expired');
  });

  it('starts over for a new valid_till, even at a looser level', async () => {
    await announce(alert({ level: 'expired' }));

    await announce(alert({ level: 90, validTill: '2027-12-20' }), minutesLater(1));

    expect((await store.loadAll()).certificates.get('order#1001')).toEqual({
      certKey: 'order#1001',
      orderId: 1001,
      validTill: '2027-12-20',
      announced: 90,
    });
  });

  it('gives the same alert to exactly one of 20 concurrent claimers', async () => {
    const claims = await Promise.all(Array.from({ length: 20 }, () => store.claim(alert(), NOW)));

    expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
  });

  it('makes a released claim claimable again by the next scan', async () => {
    const first = await store.claim(alert(), NOW);
    if (!first) throw new Error('first claim failed');

    await store.release(first);

    expect(await store.claim(alert(), minutesLater(1))).not.toBeNull();
  });

  it('reports an item that only ever held a released claim as not announced', async () => {
    const claim = await store.claim(alert({ certKey: 'dup#5001', orderId: 1001 }), NOW);
    if (!claim) throw new Error('claim failed');
    await store.release(claim);

    expect((await store.loadAll()).certificates.get('dup#5001')).toEqual({
      certKey: 'dup#5001',
      orderId: 1001,
      validTill: null,
      announced: null,
    });
  });

  it('blocks other claimers while a claim is live, and lets them take over once its lease has expired', async () => {
    const first = await store.claim(alert({ level: 30 }), NOW);
    if (!first) throw new Error('first claim failed');

    expect(await store.claim(alert({ level: 7 }), minutesLater(14))).toBeNull();
    const takeover = await store.claim(alert({ level: 7 }), minutesLater(15));
    expect(takeover).not.toBeNull();

    await store.markSent(first, minutesLater(16));
    expect((await store.loadAll()).certificates.get('order#1001')?.announced).toBeNull();
    expect(await store.claim(alert({ level: 3 }), minutesLater(16))).toBeNull();

    if (takeover) await store.markSent(takeover, minutesLater(17));
    expect((await store.loadAll()).certificates.get('order#1001')?.announced).toBe(7);
  });

  it('keeps a released claim from undoing the claim that took over', async () => {
    const first = await store.claim(alert(), NOW);
    if (!first) throw new Error('first claim failed');
    const takeover = await store.claim(alert(), minutesLater(20));

    await store.release(first);

    expect(await store.claim(alert(), minutesLater(21))).toBeNull();
    expect(takeover).not.toBeNull();
  });

  it('honours a custom claim lease', async () => {
    store = new DynamoStateStore(dynamo.doc, table, { claimLeaseSeconds: 60 });
    await store.claim(alert(), NOW);

    expect(await store.claim(alert(), new Date(NOW.getTime() + 59_000))).toBeNull();
    expect(await store.claim(alert(), minutesLater(1))).not.toBeNull();
  });
});

describe('DynamoStateStore renewed notices', () => {
  it('resets the certificate once the renewed notice is sent', async () => {
    await announce(alert({ level: 7 }));

    await announce(renewed({ validTill: '2026-12-20' }), minutesLater(1));

    expect((await store.loadAll()).certificates).toEqual(new Map());
    expect(await rawItem('order#1001')).toBeUndefined();
  });

  it('refuses a renewed notice for a valid_till that was not the one announced', async () => {
    await announce(alert({ level: 7 }));

    expect(await store.claim(renewed({ validTill: '2026-11-30' }), minutesLater(1))).toBeNull();
  });

  it('refuses a renewed notice when nothing was announced', async () => {
    expect(await store.claim(renewed(), NOW)).toBeNull();
  });

  it('refuses a renewed notice while another claim is live', async () => {
    await announce(alert({ level: 30 }));
    await store.claim(alert({ level: 7 }), minutesLater(1));

    expect(await store.claim(renewed(), minutesLater(2))).toBeNull();
  });

  it('announces only once when the same renewed notice is claimed twice', async () => {
    await announce(alert({ level: 7 }));
    const first = await store.claim(renewed(), minutesLater(1));
    if (!first) throw new Error('renewed claim failed');
    await store.markSent(first, minutesLater(1));

    expect(await store.claim(renewed(), minutesLater(2))).toBeNull();
  });
});

describe('DynamoStateStore held claims', () => {
  it('lists the claims neither marked sent nor released, with when they were taken', async () => {
    await announce(alert({ certKey: 'order#1', orderId: 1 }));
    const released = await store.claim(alert({ certKey: 'order#2', orderId: 2 }), NOW);
    if (released) await store.release(released);
    const alertClaim = await store.claim(alert({ certKey: 'dup#5001', level: 'expired' }), minutesLater(1));
    await announce(alert({ certKey: 'order#3', orderId: 3, level: 7, validTill: '2026-11-29' }));
    const renewedClaim = await store.claim(
      renewed({ certKey: 'order#3', orderId: 3, validTill: '2026-11-29' }),
      minutesLater(2),
    );

    const held = await store.heldClaims();

    expect(held.sort((a, b) => a.certKey.localeCompare(b.certKey))).toEqual([
      { ...alertClaim, claimedAt: minutesLater(1) },
      { ...renewedClaim, claimedAt: minutesLater(2) },
    ]);
  });

  it('gives back a listed claim, which the next claimer then gets at once', async () => {
    await store.claim(alert(), NOW);
    const [held] = await store.heldClaims();
    if (!held) throw new Error('no claim held');

    await store.release(held);

    expect(await store.heldClaims()).toEqual([]);
    expect(await store.claim(alert(), minutesLater(1))).not.toBeNull();
  });

  it('names a claim item it cannot read', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: { certKey: 'order#9', orderId: 9, claimToken: 't', claimKind: 'alert', claimedAt: 1 },
      }),
    );

    await expect(store.heldClaims()).rejects.toThrow(CorruptStateItemError);
  });
});

describe('DynamoStateStore items', () => {
  it('sets the TTL attribute to valid_till plus 60 days, or the configured retention', async () => {
    await announce(alert({ validTill: '2026-12-20' }));
    expect((await rawItem('order#1001'))?.expiresAt).toBe(Date.UTC(2027, 1, 18) / 1000);

    store = new DynamoStateStore(dynamo.doc, table, { retainDaysAfterExpiry: 10 });
    await announce(alert({ certKey: 'order#1002', orderId: 1002, validTill: '2026-12-20' }));
    expect((await rawItem('order#1002'))?.expiresAt).toBe(Date.UTC(2026, 11, 30) / 1000);
  });

  it("keeps the alert's severity with the announcement, for the renewed notice, and forgets it when a claim has none", async () => {
    await announce(alert({ level: 3, severity: 'critical' }));

    expect((await store.loadAll()).certificates.get('order#1001')).toEqual({
      certKey: 'order#1001',
      orderId: 1001,
      validTill: '2026-12-20',
      announced: 3,
      announcedSeverity: 'critical',
    });
    expect((await rawItem('order#1001'))?.announcedSeverity).toBe('critical');

    await announce(alert({ level: 1 }), minutesLater(1));
    expect((await store.loadAll()).certificates.get('order#1001')).not.toHaveProperty('announcedSeverity');
    await expect(
      store.claim(alert({ level: 0, severity: 'urgent' as never }), minutesLater(2)),
    ).rejects.toThrow(InvalidClaimError);
  });

  it("keeps the report's valid_till with the announcement, and forgets it when a claim has none", async () => {
    await announce(alert({ level: 14, validTill: '2026-12-03', reportValidTill: '2027-01-21' }));

    expect((await store.loadAll()).certificates.get('order#1001')).toEqual({
      certKey: 'order#1001',
      orderId: 1001,
      validTill: '2026-12-03',
      announced: 14,
      reportValidTill: '2027-01-21',
    });

    await announce(alert({ level: 7, validTill: '2026-12-03' }), minutesLater(1));
    expect((await store.loadAll()).certificates.get('order#1001')).not.toHaveProperty('reportValidTill');
    await expect(
      store.claim(
        alert({ level: 3, validTill: '2026-12-03', reportValidTill: '2027-02-30' }),
        minutesLater(2),
      ),
    ).rejects.toThrow('claim reportValidTill: "2027-02-30" is not a yyyy-MM-dd date');
  });

  it('names a report valid_till it cannot read (an item stored without one reads as before)', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          certKey: 'order#8',
          orderId: 8,
          validTill: '2026-12-20',
          announcedRank: 3,
          reportValidTill: 'soon',
        },
      }),
    );
    await expect(store.loadAll()).rejects.toThrow(
      'state item "order#8": reportValidTill "soon" is not valid',
    );
  });

  it('reads an item stored before severities were kept, and names a severity it cannot read', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          certKey: 'order#5',
          orderId: 5,
          validTill: '2026-12-20',
          announcedRank: 3,
          announcedLevel: 3,
        },
      }),
    );
    expect((await store.loadAll()).certificates.get('order#5')).toEqual({
      certKey: 'order#5',
      orderId: 5,
      validTill: '2026-12-20',
      announced: 3,
    });
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          certKey: 'order#6',
          orderId: 6,
          validTill: '2026-12-20',
          announcedRank: 3,
          announcedSeverity: 'loud',
        },
      }),
    );
    await expect(store.loadAll()).rejects.toThrow(
      'state item "order#6": announcedSeverity "loud" is not valid',
    );
  });

  it('records the announcement for people reading the table, without the claim', async () => {
    await announce(alert({ level: 'expired', validTill: '2026-11-20' }));

    const item = await rawItem('order#1001');
    expect(item).toMatchObject({
      announcedLevel: 'expired',
      announcedRank: -1,
      announcedAt: NOW.toISOString(),
      validTill: '2026-11-20',
    });
    expect(item).not.toHaveProperty('claimToken');
    expect(item).not.toHaveProperty('claimedAt');
  });

  it.each([1, 4])('loads every item over several Scan pages (%i segments)', async (scanSegments) => {
    const certKeys = Array.from({ length: 3000 }, (_, index) => `order#${index + 1}`);
    for (let start = 0; start < certKeys.length; start += 25) {
      const puts = certKeys.slice(start, start + 25).map((certKey, offset) => ({
        PutRequest: {
          Item: {
            certKey,
            orderId: start + offset + 1,
            validTill: '2026-12-20',
            announcedRank: 30,
            announcedLevel: 30,
          },
        },
      }));
      await dynamo.doc.send(new BatchWriteCommand({ RequestItems: { [table]: puts } }));
    }
    store = new DynamoStateStore(dynamo.doc, table, { scanPageSize: 400, scanSegments });

    const states = (await store.loadAll()).certificates;

    expect(states.size).toBe(3000);
    expect(states.get('order#2999')).toEqual({
      certKey: 'order#2999',
      orderId: 2999,
      validTill: '2026-12-20',
      announced: 30,
    });
  });

  it('names the item and the field it cannot read', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: { certKey: 'order#7', orderId: 7, validTill: '2026-12-20', announcedRank: 'soon' },
      }),
    );

    await expect(store.loadAll()).rejects.toThrow(CorruptStateItemError);
    await expect(store.loadAll()).rejects.toThrow('state item "order#7": announcedRank "soon" is not valid');
  });
});

describe('DynamoStateStore input checks', () => {
  it.each([
    [alert({ validTill: '2026-02-30' }), 'claim validTill: "2026-02-30" is not a yyyy-MM-dd date'],
    [alert({ level: null }), "claim level: null is not a whole number of days or 'expired'"],
    [alert({ level: 2.5 }), "claim level: 2.5 is not a whole number of days or 'expired'"],
    [alert({ certKey: '' }), 'claim certKey: "" is not a certificate key'],
    [alert({ orderId: -4 }), 'claim orderId: -4 is not an order id'],
    [renewed({ level: 7 }), 'claim level: 7 must be null for a renewed notice'],
  ])('refuses a claim request it cannot store (%#)', async (request, message) => {
    await expect(store.claim(request, NOW)).rejects.toThrow(InvalidClaimError);
    await expect(store.claim(request, NOW)).rejects.toThrow(message);
  });

  it('refuses an invalid clock reading', async () => {
    await expect(store.claim(alert(), new Date('not a date'))).rejects.toThrow('claim now: "Invalid Date"');
  });

  it('names an option it refuses', () => {
    expect(() => new DynamoStateStore(dynamo.doc, table, { claimLeaseSeconds: 0 })).toThrow(ConfigError);
    expect(() => new DynamoStateStore(dynamo.doc, table, { scanSegments: 1.5 })).toThrow(
      'scanSegments: 1.5 is not a whole number of at least 1',
    );
  });
});

describe('DynamoStateStore order facts', () => {
  const plan = { multiYear: true, orderValidTill: '2028-01-31', autoRenew: 0, autoReissue: true };
  const detail = {
    fingerprint: 'issued|2026-12-20|AB|CD|1',
    status: 'issued',
    checkedAt: NOW.toISOString(),
    plan,
  };
  const listing = {
    fingerprint: 'issued|2026-12-20|AB|CD|1',
    listedAt: NOW.toISOString(),
    certificates: [
      {
        id: 5001,
        status: 'issued',
        commonName: 'a.example.com',
        validFrom: '2026-06-04',
        validTill: '2026-12-20',
      },
      { id: 5002, status: 'pending', commonName: 'b.example.com', validFrom: null, validTill: null },
    ],
  };

  it("keeps an order's detail answer and duplicates listing beside its certificates, each written alone", async () => {
    await announce(alert());
    await store.recordDetail(1001, detail, '2026-12-20');
    await store.recordDuplicates(1001, listing, '2026-12-20');
    await store.recordDetail(1001, { ...detail, status: 'revoked' }, '2026-12-20');

    const snapshot = await store.loadAll();

    expect([...snapshot.certificates.keys()]).toEqual(['order#1001']);
    expect(snapshot.orders.get(1001)).toEqual({
      orderId: 1001,
      detail: { ...detail, status: 'revoked' },
      duplicates: listing,
    });
    expect((await rawItem('facts#1001'))?.expiresAt).toBe(Date.parse('2027-02-18T00:00:00Z') / 1000);
  });

  it('names a facts item it cannot read, and the field', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: { certKey: 'facts#7', orderId: 7, duplicates: { ...listing, listedAt: 'yesterday' } },
      }),
    );

    await expect(store.loadAll()).rejects.toThrow('state item "facts#7": duplicates.listedAt is not valid');
  });

  it('refuses facts for an impossible order or date', async () => {
    await expect(store.recordDetail(0, detail, '2026-12-20')).rejects.toThrow(InvalidClaimError);
    await expect(store.recordDuplicates(7, listing, '2026-02-30')).rejects.toThrow('keepUntil');
  });
});
