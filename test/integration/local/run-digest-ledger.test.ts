import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { RunDigestLedger, scanOfDigestKey } from '../../../functions/local/run-digest-ledger.ts';
import { DynamoDigestLedger } from '../../../functions/state/dynamo-digest-ledger.ts';
import { manyAlerts } from '../../fixtures/events/load.ts';
import { type LocalDynamoDB, startLocalDynamoDB } from '../state/local-dynamodb.ts';

const SCANNED_AT = '2026-11-23T06:00:00Z';

let dynamo: LocalDynamoDB;
let shared: DynamoDigestLedger;
let wall: Date;
const wallClock = () => wall;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});
afterAll(() => dynamo.close());
beforeEach(async () => {
  shared = new DynamoDigestLedger(dynamo.doc, await dynamo.freshDigestTable());
  wall = new Date('2031-05-01T10:00:00Z');
});

const recorded = (events: NotificationEvent[]) =>
  events.map((event) => ({ certKey: `order#${event.orderId}`, event }));

describe("a local run's digest ledger", () => {
  it('keeps two runs of the same scan instant apart (a rerun with the same --now)', async () => {
    const [a, b, c] = manyAlerts(3) as [NotificationEvent, NotificationEvent, NotificationEvent];
    const crashed = new RunDigestLedger(shared, wallClock, 'crashed');
    const rerun = new RunDigestLedger(shared, wallClock, 'rerun');
    await crashed.open(SCANNED_AT);
    await crashed.record(SCANNED_AT, recorded([a, b]));
    await rerun.open(SCANNED_AT);
    await rerun.record(SCANNED_AT, recorded([c]));

    const open = await rerun.openDigests();
    const crashedKey = open.find((digest) => digest.scannedAt.endsWith('/crashed'))?.scannedAt ?? '';

    expect(open.map((digest) => scanOfDigestKey(digest.scannedAt))).toEqual([SCANNED_AT, SCANNED_AT]);
    expect((await rerun.digests(crashedKey))[0]).toMatchObject({ scannedAt: SCANNED_AT, total: 2 });
    expect((await rerun.digests(SCANNED_AT))[0]).toMatchObject({
      scannedAt: SCANNED_AT,
      total: 1,
      alerts: [c],
    });
  });

  it('opens on the wall clock whatever the scan instant, and shows an open digest alive until it is closed', async () => {
    const ledger = new RunDigestLedger(shared, wallClock, 'run');
    await ledger.open(SCANNED_AT, new Date(SCANNED_AT));
    wall = new Date('2031-05-01T10:05:00Z');
    await ledger.refresh();

    expect(await ledger.openDigests()).toEqual([
      { scannedAt: `${SCANNED_AT}/run`, openedAt: '2031-05-01T10:05:00.000Z' },
    ]);
    await Promise.all([ledger.close(SCANNED_AT), ledger.refresh()]);
    await ledger.refresh();
    expect(await ledger.openDigests()).toEqual([]);
  });

  it("forgets a certificate given back only in this run's digest", async () => {
    const [a, b] = manyAlerts(2) as [NotificationEvent, NotificationEvent];
    const other = new RunDigestLedger(shared, wallClock, 'other');
    const ledger = new RunDigestLedger(shared, wallClock, 'run');
    await other.record(SCANNED_AT, recorded([a]));
    await ledger.record(SCANNED_AT, recorded([a, b]));

    await ledger.forgetInThisRun(`order#${a.orderId}`);

    expect((await ledger.digests(SCANNED_AT))[0]?.alerts).toEqual([b]);
    expect((await other.digests(SCANNED_AT))[0]?.alerts).toEqual([a]);
  });
});
