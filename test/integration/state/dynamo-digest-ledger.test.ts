import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { CorruptDigestItemError, DynamoDigestLedger } from '../../../functions/state/dynamo-digest-ledger.ts';
import { manyAlerts } from '../../fixtures/events/load.ts';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.ts';

const SCANNED_AT = '2026-11-23T06:00:00Z';
const NOW = new Date('2026-11-23T06:05:00Z');

let dynamo: LocalDynamoDB;
let table: string;
let ledger: DynamoDigestLedger;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});
afterAll(() => dynamo.close());
beforeEach(async () => {
  table = await dynamo.freshDigestTable();
  ledger = new DynamoDigestLedger(dynamo.doc, table, { pageSize: 7, clock: () => NOW });
});

const recorded = (events: NotificationEvent[]) =>
  events.map((event) => ({ certKey: `order#${event.orderId}`, event }));

describe('the DynamoDB digest ledger', () => {
  it('gives back every event recorded for a scan, over many pages, each certificate once', async () => {
    const events = manyAlerts(40);
    await ledger.record(SCANNED_AT, recorded(events.slice(0, 30)));
    await ledger.record(SCANNED_AT, recorded(events.slice(20))); // redelivered messages overlap
    await ledger.record('2026-11-24T06:00:00Z', recorded(manyAlerts(3)));

    const [digest, ...more] = await ledger.digests(SCANNED_AT);

    expect(more).toEqual([]);
    expect(digest?.route).toBeNull();
    expect(digest?.total).toBe(40);
    expect(new Set(digest?.alerts.map((alert) => alert.orderId))).toEqual(
      new Set(events.map((event) => event.orderId)),
    );
  });

  it('lists open digests oldest first until they are closed', async () => {
    await ledger.open('2026-11-24T06:00:00Z', new Date('2026-11-24T06:01:00Z'));
    await ledger.open(SCANNED_AT, NOW);

    expect(await ledger.openDigests()).toEqual([
      { scannedAt: SCANNED_AT, openedAt: NOW.toISOString() },
      { scannedAt: '2026-11-24T06:00:00Z', openedAt: '2026-11-24T06:01:00.000Z' },
    ]);
    await ledger.close(SCANNED_AT);
    expect((await ledger.openDigests()).map((open) => open.scannedAt)).toEqual(['2026-11-24T06:00:00Z']);
  });

  it("forgets a certificate's event when it matches, and only in that scan's digest", async () => {
    const [first, second] = manyAlerts(2) as [NotificationEvent, NotificationEvent];
    await ledger.record(SCANNED_AT, recorded([first, second]));
    await ledger.record('2026-11-24T06:00:00Z', recorded([first]));
    const key = `order#${first.orderId}`;

    expect(await ledger.forget(SCANNED_AT, key, (event) => event.validTill === 'not this')).toBe(false);
    expect(await ledger.forget(SCANNED_AT, key, (event) => event.validTill === first.validTill)).toBe(true);
    expect(await ledger.forget(SCANNED_AT, key)).toBe(false);

    expect((await ledger.digests(SCANNED_AT))[0]?.alerts).toEqual([second]);
    expect((await ledger.digests('2026-11-24T06:00:00Z'))[0]?.alerts).toEqual([first]);
  });

  it('has no digest for a scan that recorded nothing', async () => {
    expect(await ledger.digests(SCANNED_AT)).toEqual([]);
  });

  it("builds one digest per route in one pass, each of the route's alerts only", async () => {
    const events = manyAlerts(6).map((event, index) => ({
      ...event,
      container: index % 2 === 0 ? 'Web Team' : 'Payments',
      severity: index < 2 ? ('critical' as const) : event.severity,
    }));
    await ledger.record(SCANNED_AT, recorded(events));
    const routed = new DynamoDigestLedger(dynamo.doc, table, {
      routes: [
        { name: 'web', containers: ['Web Team'], organizations: null, products: null, severities: null },
        { name: 'oncall', containers: null, organizations: null, products: null, severities: ['critical'] },
        { name: 'legal', containers: ['Legal'], organizations: null, products: null, severities: null },
      ],
    });

    const digests = await routed.digests(SCANNED_AT);

    expect(
      digests.map((digest) => [digest.route, digest.alerts.map((alert) => alert.orderId).sort()]),
    ).toEqual([
      ['web', [300000, 300002, 300004]],
      ['oncall', [300000, 300001]],
    ]);
  });

  it('lets every item expire two weeks after it was written', async () => {
    await ledger.record(SCANNED_AT, recorded(manyAlerts(1)));
    await ledger.open(SCANNED_AT, NOW);

    const items = (await dynamo.doc.send(new ScanCommand({ TableName: table }))).Items ?? [];
    expect(items.map((item) => item.expiresAt)).toEqual([
      NOW.getTime() / 1000 + 14 * 86_400,
      NOW.getTime() / 1000 + 14 * 86_400,
    ]);
  });

  it('names the item when an event it reads back is not an event', async () => {
    await dynamo.doc.send(
      new PutCommand({
        TableName: table,
        Item: { pk: `scan#${SCANNED_AT}`, sk: 'order#9', event: '{"orderId":' },
      }),
    );

    await expect(ledger.digests(SCANNED_AT)).rejects.toThrow(CorruptDigestItemError);
    await expect(ledger.digests(SCANNED_AT)).rejects.toThrow('order#9');
  });
});
