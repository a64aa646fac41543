/**
 * Certificates followed day by day through their whole life, over the simulator and dynalite: duplicates with
 * their own earlier dates, automation that renews or reissues by itself, short lifetimes, Multi-year Plans.
 */
import { describe, expect, it } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { SimAccount, type SimOrder } from '../../certcentral-sim/account.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import type { ScanTarget } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const day = (offset: number): string => addDays(TODAY, offset);

const { targetFor } = useScanFixture();

/** One announcement: the day it came, the certificate, the level. */
interface Heard {
  day: number;
  cert: string;
  level: number | 'expired' | 'renewed';
}

const heard = (offset: number, event: NotificationEvent): Heard => ({
  day: offset,
  cert: event.duplicate ? `dup ${event.certificateId}` : `order ${event.orderId}`,
  level: event.type === 'certificate.renewed' ? 'renewed' : (event.threshold ?? 'expired'),
});

interface Life {
  heard: Heard[];
  events: NotificationEvent[];
  /** CertCentral calls of each day's scan, by endpoint. */
  calls: { report: number; order: number; duplicates: number }[];
}

/** Scans every day from `from` to `to` (offsets from TODAY); `before(offset)` may change the account first. */
async function liveThrough(
  target: ScanTarget,
  from: number,
  to: number,
  before: (offset: number) => void = () => {},
  flags: string[] = [],
): Promise<Life> {
  const life: Life = { heard: [], events: [], calls: [] };
  for (let offset = from; offset <= to; offset += 1) {
    before(offset);
    target.sim.resetCounters();
    const run = await target.scan(day(offset), flags);
    expect(run.exitCode, run.stderr).toBe(0);
    life.events.push(...run.events);
    life.heard.push(...run.events.map((event) => heard(offset, event)));
    const { report, order, duplicates } = target.sim.calls;
    life.calls.push({ report, order, duplicates });
  }
  return life;
}

/** The day a certificate expiring at `till` (offset) reaches each of `levels`. */
const crossings = (cert: string, till: number, levels: readonly number[]): Heard[] => [
  ...levels.map((level) => ({ day: till - level, cert, level })),
  { day: till + 1, cert, level: 'expired' as const },
];

const byDay = (a: Heard, b: Heard) => a.day - b.day || a.cert.localeCompare(b.cert);

describe('a duplicate that expires before its order', () => {
  it('is announced at each of its own thresholds and expired, once each; the order only at its own', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(160), validFrom: day(160 - 397) });
    const duplicate = account.addDuplicate(order.id, {
      status: 'issued',
      validTill: day(100),
      validFrom: day(100 - 199),
    });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 165);

    const all = [90, 60, 30, 14, 7, 3, 1];
    expect(life.heard.sort(byDay)).toEqual(
      [...crossings(`dup ${duplicate.id}`, 100, all), ...crossings(`order ${order.id}`, 160, all)].sort(
        byDay,
      ),
    );
    const duplicateEvents = life.events.filter((event) => event.duplicate);
    expect(duplicateEvents.every((event) => event.certificateId === duplicate.id)).toBe(true);
    expect(duplicateEvents[0]).toMatchObject({ validTill: day(100), daysRemaining: 90, orderId: order.id });
  });

  it('costs, on a quiet day, the report page and at most its refresh turn', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(300) });
    account.addDuplicate(order.id, { status: 'issued', validTill: day(250), validFrom: day(250 - 199) });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 27);

    expect(life.heard).toEqual([]);
    expect(life.calls[0]).toEqual({ report: 1, order: 0, duplicates: 1 });
    const quiet = life.calls.slice(1);
    expect(quiet.every((calls) => calls.report === 1 && calls.order === 0)).toBe(true);
    expect(quiet.filter((calls) => calls.duplicates === 1)).toHaveLength(4);
  });

  it('a new duplicate of an order with duplicates is found on its refresh turn, one already due at once', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(300) });
    account.addDuplicate(order.id, { status: 'issued', validTill: day(250), validFrom: day(250 - 199) });
    const target = await targetFor(account);
    let late: number | null = null;

    const life = await liveThrough(target, 0, 10, (offset) => {
      if (offset === 2) {
        late = account.addDuplicate(order.id, {
          status: 'issued',
          validTill: day(40),
          validFrom: day(40 - 199),
        }).id;
      }
    });

    const [first] = life.heard;
    expect(first?.cert).toBe(`dup ${late}`);
    expect(first?.level).toBe(60);
    expect(first?.day).toBeLessThanOrEqual(2 + 7);
  });
});

describe('automation', () => {
  const autoRenewing = (account: SimAccount): SimOrder =>
    account.addOrder({ validTill: day(100), validFrom: day(100 - 199), autoRenew: 1 });

  it('an auto-renewing order that DigiCert renews 30 days ahead sends nothing in its whole life', async () => {
    const account = new SimAccount([], TODAY);
    const order = autoRenewing(account);
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 140, (offset) => {
      if (offset === 70) account.renew(order.id, { status: 'issued', validTill: day(100 + 199) });
    });

    expect(life.heard).toEqual([]);
  });

  it('an auto-renewing order whose renewal never comes first speaks at 14 days, and says so', async () => {
    const account = new SimAccount([], TODAY);
    const order = autoRenewing(account);
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 102);

    expect(life.heard).toEqual(crossings(`order ${order.id}`, 100, [14, 7, 3, 1]));
    expect(life.events[0]?.plan).toMatchObject({ autoRenew: 1 });
  });

  it('a Multi-year Plan with auto-reissue is quiet while DigiCert reissues, and says reissue', async () => {
    const account = new SimAccount([], TODAY);
    const plan = { orderValidFrom: day(-200), orderValidTill: day(900), autoReissue: true };
    const reissued = account.addOrder({ validTill: day(60), validFrom: day(60 - 199), plan });
    const neverReissued = account.addOrder({ validTill: day(60), validFrom: day(60 - 199), plan });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 62, (offset) => {
      if (offset === 31) account.reissue(reissued.id, day(60 + 199));
    });

    expect(life.heard).toEqual(crossings(`order ${neverReissued.id}`, 60, [14, 7, 3, 1]));
    expect(life.events[0]).toMatchObject({
      action: 'reissue',
      plan: { multiYear: true, orderValidTill: day(900), autoReissue: true },
    });
    // Only the first look at each order and its five alerts ask for the detail: the plan is remembered between.
    expect(life.calls.reduce((sum, calls) => sum + calls.order, 0)).toBe(2 + 5);
  });

  it('a Multi-year Plan whose automatic reissue request stalls (reissue_pending) speaks at 14 days, and says so', async () => {
    const account = new SimAccount([], TODAY);
    const plan = { orderValidFrom: day(-200), orderValidTill: day(900), autoReissue: true };
    const stalled = account.addOrder({ validTill: day(60), validFrom: day(60 - 199), plan });
    const target = await targetFor(account);

    // DigiCert requests the reissue 30 days ahead; it is never issued.
    const life = await liveThrough(target, 0, 62, (offset) => {
      if (offset === 30) stalled.status = 'reissue_pending';
    });

    expect(life.heard).toEqual(crossings(`order ${stalled.id}`, 60, [14, 7, 3, 1]));
    expect(life.events[0]).toMatchObject({ status: 'reissue_pending', action: 'reissue' });
  });

  it('a Multi-year Plan without auto-reissue gets every threshold and says reissue until the plan ends', async () => {
    const account = new SimAccount([], TODAY);
    const plan = { orderValidFrom: day(-200), orderValidTill: day(900), autoReissue: false };
    const order = account.addOrder({ validTill: day(95), validFrom: day(95 - 199), plan });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 96);

    expect(life.heard).toEqual(crossings(`order ${order.id}`, 95, [90, 60, 30, 14, 7, 3, 1]));
    expect(life.events.every((event) => event.action === 'reissue')).toBe(true);
  });
});

describe('lifetimes', () => {
  it('gives each certificate the thresholds its lifetime calls for', async () => {
    const account = new SimAccount([], TODAY);
    const long = account.addOrder({ validTill: day(95), validFrom: day(95 - 199) });
    const hundred = account.addOrder({ validTill: day(95), validFrom: day(95 - 100) });
    const short = account.addOrder({ validTill: day(40), validFrom: day(40 - 46) });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 96);

    expect(life.heard.sort(byDay)).toEqual(
      [
        ...crossings(`order ${long.id}`, 95, [90, 60, 30, 14, 7, 3, 1]),
        ...crossings(`order ${hundred.id}`, 95, [30, 14, 7, 3, 1]),
        ...crossings(`order ${short.id}`, 40, [14, 7, 3, 1]),
      ].sort(byDay),
    );
  });
});

describe('a report whose valid_till disagrees with the order detail', () => {
  it("a report later than the detail: the detail's crossings once each, no renewed notice", async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(10), rawReportCells: { valid_till: `"${day(60)}"` } });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 14);

    expect(life.heard).toEqual([
      { day: 0, cert: `order ${order.id}`, level: 14 },
      { day: 3, cert: `order ${order.id}`, level: 7 },
      { day: 7, cert: `order ${order.id}`, level: 3 },
      { day: 9, cert: `order ${order.id}`, level: 1 },
      { day: 11, cert: `order ${order.id}`, level: 'expired' },
    ]);
  });

  it('then renewed (the report and the detail move later): one renewed notice', async () => {
    const account = new SimAccount([], TODAY);
    const order = account.addOrder({ validTill: day(10), rawReportCells: { valid_till: `"${day(60)}"` } });
    const target = await targetFor(account);

    const life = await liveThrough(target, 0, 8, (offset) => {
      if (offset === 5) {
        delete order.rawReportCells;
        account.reissue(order.id, day(400));
      }
    });

    expect(life.heard).toEqual([
      { day: 0, cert: `order ${order.id}`, level: 14 },
      { day: 3, cert: `order ${order.id}`, level: 7 },
      { day: 5, cert: `order ${order.id}`, level: 'renewed' },
    ]);
  });
});
