import { describe, expect, it } from 'vitest';
import { SimAccount, type SimSubaccount } from '../../certcentral-sim/account.ts';
import { SUBACCOUNTS } from '../../certcentral-sim/catalog.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { announcedCrossings } from '../../support/expected-alerts.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const day = (offset: number): string => addDays(TODAY, offset);

const { targetFor } = useScanFixture();

describe('renewals', () => {
  it('announces an issued renewal of an announced certificate once, then stays silent', async () => {
    const account = new SimAccount([], TODAY);
    const old = account.addOrder({ validTill: day(5) });
    const target = await targetFor(account);
    const announced = await target.scan(TODAY);

    const renewal = account.renew(old.id, { status: 'issued', validTill: day(400) });
    const renewed = await target.scan(day(1));
    const later = [];
    for (const next of [day(2), day(4), day(6)]) later.push((await target.scan(next)).events);

    expect(announcedCrossings(announced.events)).toEqual([`order ${old.id} @ 7`]);
    expect(renewed.events).toEqual([
      expect.objectContaining({
        type: 'certificate.renewed',
        orderId: old.id,
        validTill: old.validTill,
        threshold: null,
        renewal: { orderId: renewal.id, status: 'issued' },
      }),
    ]);
    expect(later).toEqual([[], [], []]);
  });

  it('keeps alerting while the renewal is pending, saying so, and announces it once it is issued', async () => {
    const account = new SimAccount([], TODAY);
    const old = account.addOrder({ validTill: day(8) });
    const target = await targetFor(account);
    const before = await target.scan(TODAY);

    const renewal = account.renew(old.id, { status: 'pending' });
    const pending = await target.scan(day(1));
    Object.assign(renewal, { status: 'issued', validFrom: day(1), validTill: day(398) });
    const issued = await target.scan(day(2));
    const after = await target.scan(day(5));

    expect(before.events).toEqual([
      expect.objectContaining({ orderId: old.id, threshold: 14, renewal: null }),
    ]);
    expect(pending.events).toEqual([
      expect.objectContaining({
        type: 'certificate.expiring',
        orderId: old.id,
        threshold: 7,
        renewal: { orderId: renewal.id, status: 'pending' },
      }),
    ]);
    expect(issued.events).toEqual([
      expect.objectContaining({
        type: 'certificate.renewed',
        orderId: old.id,
        renewal: { orderId: renewal.id, status: 'issued' },
      }),
    ]);
    expect(after.events).toEqual([]);
  });

  it('announces a reissue that moves valid_till later once, then stays silent', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(5) });
    const announcedValidTill = order.validTill;
    const target = await targetFor(account);
    await target.scan(TODAY);

    account.reissue(order.id, day(397));
    const reissued = await target.scan(day(1));
    const after = await target.scan(day(6));

    expect(reissued.events).toEqual([
      expect.objectContaining({
        type: 'certificate.renewed',
        orderId: order.id,
        validTill: announcedValidTill,
        renewal: expect.objectContaining({ orderId: order.id }),
      }),
    ]);
    expect(after.events).toEqual([]);
  });
});

describe('duplicates', () => {
  it('alerts each issued duplicate as its own certificate, and no duplicate in another status', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(9) });
    const sameDates = account.addDuplicate(order.id, { status: 'issued' });
    const sooner = account.addDuplicate(order.id, { status: 'issued', validTill: day(2) });
    for (const status of ['approved', 'pending', 'rejected'] as const)
      account.addDuplicate(order.id, { status });
    const target = await targetFor(account);

    const { events } = await target.scan(TODAY);

    expect(announcedCrossings(events)).toEqual(
      [`order ${order.id} @ 14`, `certificate ${sameDates.id} @ 14`, `certificate ${sooner.id} @ 3`].sort(),
    );
    expect(events.filter((event) => event.duplicate)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId: order.id, certificateId: sameDates.id, validTill: day(9) }),
        expect.objectContaining({ orderId: order.id, certificateId: sooner.id, validTill: day(2) }),
      ]),
    );
    expect(events.find((event) => !event.duplicate)?.certificateId).toBe(order.certificateId);
  });

  it('lists the duplicates of each order with has_duplicates=1 once, candidate or not, and not again the same day', async () => {
    const account = new SimAccount([], TODAY);
    const withDuplicates = account.addOrder({ validTill: day(6) });
    account.addDuplicate(withDuplicates.id, { status: 'issued' });
    account.addOrder({ validTill: day(6) });
    const farOff = account.addOrder({ validTill: day(200) });
    account.addDuplicate(farOff.id, { status: 'issued' });
    const target = await targetFor(account);

    const { events } = await target.scan(TODAY);
    const listedFirst = target.sim.calls.duplicates;
    const rerun = await target.scan(TODAY);

    expect(events).toHaveLength(3);
    expect(listedFirst).toBe(2);
    expect(rerun.events).toEqual([]);
    expect(target.sim.calls.duplicates).toBe(2);
  });
});

describe('subaccount orders', () => {
  const subaccount = (accountId: number): SimSubaccount => {
    const found = SUBACCOUNTS.find((candidate) => candidate.accountId === accountId);
    if (!found) throw new Error(`no subaccount ${accountId} in the catalog`);
    return found;
  };

  it('falls back to the subaccount endpoint on 404 and 403, and names the subaccount', async () => {
    const notFound = subaccount(123445);
    const forbidden = subaccount(123447);
    const subSubaccount = subaccount(223448);
    expect([notFound, forbidden, subSubaccount].map((sub) => sub.orderEndpointStatus)).toEqual([
      404, 403, 404,
    ]);
    const account = new SimAccount([], TODAY);
    const orders = [notFound, forbidden, subSubaccount].map((sub) =>
      account.addOrder({ validTill: day(5), subaccount: sub }),
    );
    const target = await targetFor(account);

    const { exitCode, events } = await target.scan(TODAY);

    expect(exitCode).toBe(0);
    expect(events).toHaveLength(3);
    for (const order of orders) {
      expect(events).toContainEqual(
        expect.objectContaining({
          orderId: order.id,
          threshold: 7,
          subaccount: {
            accountId: order.subaccount?.accountId,
            organizationName: order.subaccount?.organizationName,
          },
        }),
      );
    }
    expect(target.sim.calls).toMatchObject({ order: 3, subaccountOrder: 3 });
  });
});

describe('an order revoked after the report was made', () => {
  it('sends nothing for it, whatever the report still says', async () => {
    const account = new SimAccount([], TODAY);
    const revoked = account.addOrder({ validTill: day(5) });
    const kept = account.addOrder({ validTill: day(5) });
    account.revoke(revoked.id, { reportLags: true });
    const target = await targetFor(account);

    const run = await target.scan(TODAY);

    expect(announcedCrossings(run.events)).toEqual([`order ${kept.id} @ 7`]);
    expect(run.stderr).toMatch(/1 no longer issued/);
    expect(target.sim.calls.order).toBe(2);
  });

  it('sends no further alert for an announced certificate revoked since', async () => {
    const account = new SimAccount([], TODAY);
    const revoked = account.addOrder({ validTill: day(5) });
    const kept = account.addOrder({ validTill: day(5) });
    const target = await targetFor(account);
    await target.scan(TODAY);

    account.revoke(revoked.id, { reportLags: true });
    const next = await target.scan(day(3));

    expect(announcedCrossings(next.events)).toEqual([`order ${kept.id} @ 3`]);
  });
});
