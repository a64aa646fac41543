/**
 * What is watched and how, set by flags (the same settings as the CDK context): excluded products, CertCentral's
 * renewal-notification switch, the lifetime fraction, the automation lead, the duplicates refresh.
 */
import { describe, expect, it } from 'vitest';
import { SimAccount } from '../../certcentral-sim/account.ts';
import { CLIENT_PRODUCT, PRODUCTS } from '../../certcentral-sim/catalog.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import {
  announcedCrossings,
  crossingsOn,
  LIVE_STATUSES,
  newCrossings,
} from '../../support/expected-alerts.ts';
import { runCommand, scanInstant } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const day = (offset: number): string => addDays(TODAY, offset);

const { simulate, targetFor } = useScanFixture();

describe('excluded products', () => {
  it('are left alone, matched by product_type or product_name_id, and counted', async () => {
    const account = new SimAccount([], TODAY);
    const client = account.addOrder({ validTill: day(5), product: CLIENT_PRODUCT });
    const wildcard = account.addOrder({ validTill: day(5), product: PRODUCTS.wildcard });
    const standard = account.addOrder({ validTill: day(5) });
    const target = await targetFor(account);

    const run = await target.scan(TODAY, [
      '--exclude-products',
      `${client.product.type},${wildcard.product.nameId}`,
    ]);

    expect(client.product.type).not.toBe(standard.product.type);
    expect(run.events.map((event) => event.orderId)).toEqual([standard.id]);
    expect(run.stderr).toContain('not watched 2 of excluded products');
    expect(target.sim.calls.order).toBe(1);
  });
});

describe("CertCentral's renewal-notification switch", () => {
  it('silences an order whose notices are off, unless --ignore-notification-setting', async () => {
    const account = new SimAccount([], TODAY);
    const off = account.addOrder({ validTill: day(5), disableRenewalNotifications: true });
    const target = await targetFor(account);

    const followed = await target.scan(TODAY);
    const ignored = await target.scan(TODAY, ['--ignore-notification-setting']);

    expect(followed.events).toEqual([]);
    expect(followed.stderr).toContain('1 with notifications off in CertCentral');
    expect(target.sim.calls.order).toBe(1);
    expect(ignored.events.map((event) => event.orderId)).toEqual([off.id]);
  });
});

describe('the lifetime fraction and the automation lead', () => {
  it('--threshold-lifetime-fraction 1 gives a 100-day certificate its 60-day alert', async () => {
    const account = new SimAccount([], TODAY);
    account.addOrder({ validTill: day(55), validFrom: day(55 - 100) });
    const target = await targetFor(account);

    const byDefault = await target.scan(TODAY, ['--dry-run']);
    const whole = await target.scan(TODAY, ['--threshold-lifetime-fraction', '1']);

    expect(byDefault.events).toEqual([]);
    expect(whole.events.map((event) => event.threshold)).toEqual([60]);
  });

  it('--automation-lead-days 60 holds an auto-renewing order until 30 days', async () => {
    const account = new SimAccount([], TODAY);
    account.addOrder({ validTill: day(45), validFrom: day(45 - 397), autoRenew: 1 });
    const target = await targetFor(account);

    const lead60 = await target.scan(TODAY, ['--automation-lead-days', '60']);
    const lead30 = await target.scan(TODAY);

    expect(lead60.events.map((event) => event.threshold)).toEqual([]);
    expect(lead30.events).toEqual([]);
    expect(
      (await target.scan(day(15), ['--automation-lead-days', '60'])).events.map((e) => e.threshold),
    ).toEqual([30]);
  });
});

describe('bad values of the new settings', () => {
  it.each([
    ['--threshold-lifetime-fraction', '0'],
    ['--threshold-lifetime-fraction', '1.5'],
    ['--threshold-lifetime-fraction', 'half'],
    ['--automation-lead-days', '-1'],
    ['--duplicates-refresh-days', '0'],
    ['--duplicates-refresh-days', '366'],
    ['--exclude-products', 'client_certificate,,code_signing'],
    ['--exclude-products', 'a b'],
  ])('%s %s: exit 2 naming the flag and the value, before any API call', async (flag, value) => {
    const sim = await simulate(new SimAccount([], TODAY));

    const run = await runCommand([
      'scan',
      '--base-url',
      sim.url,
      '--now',
      scanInstant(TODAY),
      flag,
      value,
      '--dynamodb-endpoint',
      'http://127.0.0.1:9',
      '--table',
      'unused',
    ]);

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${flag}: ${JSON.stringify(value)}`);
    expect(sim.calls.total).toBe(0);
  });
});

describe('an account whose duplicates expire before their orders', () => {
  const account = () =>
    generateAccount({ seed: 8, orders: 600, today: TODAY, duplicates: 0.2, earlyDuplicates: 0.6 });

  it('announces every crossing of the first scan, then a same-day rescan costs the report pages only', async () => {
    const generated = account();
    const target = await targetFor(generated);

    const first = await target.scan(TODAY, ['--page-size', '250']);
    target.sim.resetCounters();
    const rescan = await target.scan(TODAY, ['--page-size', '250']);

    expect(first.exitCode).toBe(0);
    expect(announcedCrossings(first.events)).toEqual(crossingsOn(generated, TODAY));
    expect(first.events.some((event) => event.duplicate && event.validTill !== undefined)).toBe(true);
    expect(rescan.events).toEqual([]);
    expect(target.sim.calls).toMatchObject({ report: 3, order: 0, subaccountOrder: 0, duplicates: 0 });
  });

  it("the next day costs the report, the day's refresh share and the candidates' enrichment", async () => {
    const generated = account();
    const target = await targetFor(generated);
    const withDuplicates = generated
      .orders()
      .filter(
        (order) => LIVE_STATUSES.has(order.status) && order.duplicates.length > 0 && order.validTill !== null,
      )
      .filter((order) => addDays(order.validTill as string, 30) >= TODAY);
    await target.scan(TODAY);
    target.sim.resetCounters();

    const next = await target.scan(day(1));

    const candidates = new Set(next.events.map((event) => event.orderId));
    expect(announcedCrossings(next.events)).toEqual(newCrossings(generated, TODAY, day(1)));
    expect(target.sim.calls.order + target.sim.calls.subaccountOrder).toBeGreaterThanOrEqual(candidates.size);
    expect(target.sim.calls.duplicates).toBeLessThanOrEqual(
      Math.ceil(withDuplicates.length / 7) + candidates.size,
    );
    expect(next.stderr).toMatch(/duplicates listing\(s\) \(\d+ refresh\)/);
  });
});
