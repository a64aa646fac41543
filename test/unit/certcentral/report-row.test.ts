import { describe, expect, it } from 'vitest';
import { toReportRecord } from '../../../functions/certcentral/report-row.ts';
import type { ReportRecord } from '../../../functions/core/model.ts';
import { SEED_ROW } from './support/report-csv.ts';

const record = (overrides: Record<string, string>): ReportRecord =>
  toReportRecord({ ...SEED_ROW, ...overrides }, 7);

function reasonFor(overrides: Record<string, string>): string {
  const result = record(overrides);
  if (result.kind !== 'skipped') {
    throw new Error(`expected a skipped row, got order ${result.order.orderId}`);
  }
  return result.skipped.reason;
}

function orderFor(overrides: Record<string, string>) {
  const result = record(overrides);
  if (result.kind !== 'order') {
    throw new Error(`expected an order, got: ${result.skipped.reason}`);
  }
  return result.order;
}

describe('toReportRecord', () => {
  it('reduces the seed row to the compact order the alert rules use', () => {
    expect(record({})).toEqual({
      kind: 'order',
      order: {
        orderId: 123456,
        status: 'issued',
        commonName: 'example.com',
        dnsNames: ['example.com'],
        validTill: '2020-10-30',
        validFrom: '2018-10-26',
        fingerprint: 'issued|2020-10-30|123ABC|123ABC|0',
        disableRenewalNotifications: false,
        autoRenew: 0,
        containerId: 112233,
        containerName: 'Will Smith',
        organizationName: 'Real Organization',
        product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
        isRenewed: true,
        renewedOrderId: null,
        hasDuplicates: false,
        technicalContact: { role: 'technical', name: 'Will Smith', email: 'will.smith@example.com' },
      },
    });
  });

  it('splits dns_names on commas, trimming and dropping empty names', () => {
    expect(orderFor({ dns_names: 'example.com, www.example.com,,api.example.com ' }).dnsNames).toEqual([
      'example.com',
      'www.example.com',
      'api.example.com',
    ]);
    expect(orderFor({ dns_names: '' }).dnsNames).toEqual([]);
  });

  it('reads renewed_order_id "" and "0" as no previous order', () => {
    expect(orderFor({ renewed_order_id: '' }).renewedOrderId).toBeNull();
    expect(orderFor({ renewed_order_id: '0' }).renewedOrderId).toBeNull();
    expect(orderFor({ renewed_order_id: '100009' }).renewedOrderId).toBe(100009);
  });

  it('has no technical contact when tech_email is empty', () => {
    expect(orderFor({ tech_email: '' }).technicalContact).toBeNull();
  });

  it('keeps an unknown status as it is, and allows an empty valid_till when not issued', () => {
    const order = orderFor({ status: 'on_hold_for_review', valid_till: '' });

    expect(order.status).toBe('on_hold_for_review');
    expect(order.validTill).toBeNull();
  });

  it('skips a row whose valid_till is not a real date, naming the field and the value', () => {
    expect(reasonFor({ valid_till: '2026-13-45' })).toBe('valid_till: "2026-13-45" is not a yyyy-MM-dd date');
    expect(reasonFor({ valid_till: '2026-02-30' })).toBe('valid_till: "2026-02-30" is not a yyyy-MM-dd date');
    expect(reasonFor({ valid_till: '30/11/2026' })).toBe('valid_till: "30/11/2026" is not a yyyy-MM-dd date');
  });

  it('skips an issued or reissue_pending order without valid_till, and keeps other statuses without one', () => {
    expect(reasonFor({ valid_till: '' })).toBe('valid_till: "" is empty on an order in status issued');
    expect(reasonFor({ valid_till: '', status: 'reissue_pending' })).toBe(
      'valid_till: "" is empty on an order in status reissue_pending',
    );
    expect(orderFor({ valid_till: '', status: 'pending' })).toMatchObject({
      status: 'pending',
      validTill: null,
    });
  });

  it('skips a row whose order_id is not a positive integer, keeping the raw order_id', () => {
    expect(record({ order_id: 'A-17' })).toEqual({
      kind: 'skipped',
      skipped: { row: 7, orderId: 'A-17', reason: 'order_id: "A-17" is not a positive integer' },
    });
    expect(reasonFor({ order_id: '0' })).toBe('order_id: "0" is not a positive integer');
    expect(reasonFor({ order_id: '-5' })).toBe('order_id: "-5" is not a positive integer');
  });

  it('skips a row whose 0/1 flags or renewed_order_id hold anything else, listing every problem', () => {
    expect(reasonFor({ is_renewed: 'yes', has_duplicates: '2', renewed_order_id: 'n/a' })).toBe(
      'is_renewed: "yes" is not 0 or 1; renewed_order_id: "n/a" is not an order id; has_duplicates: "2" is not 0 or 1',
    );
  });

  it('skips a row without a status', () => {
    expect(reasonFor({ status: '' })).toBe('status: "" is empty');
  });

  it('changes the fingerprint when the certificate changes, and not for other columns', () => {
    const seed = orderFor({}).fingerprint;
    expect(orderFor({ thumbprint: 'FFFF' }).fingerprint).not.toBe(seed);
    expect(orderFor({ serial_number: '0A0B' }).fingerprint).not.toBe(seed);
    expect(orderFor({ valid_till: '2020-11-30' }).fingerprint).not.toBe(seed);
    expect(orderFor({ has_duplicates: '1' }).fingerprint).not.toBe(seed);
    expect(orderFor({ organization_name: 'Another Org', cost: '1.00' }).fingerprint).toBe(seed);
  });

  it('reads auto_renew as a count of renewals and disable_renewal_notifications as a flag', () => {
    expect(orderFor({ auto_renew: '3', disable_renewal_notifications: '1' })).toMatchObject({
      autoRenew: 3,
      disableRenewalNotifications: true,
    });
    expect(reasonFor({ auto_renew: 'yes' })).toBe('auto_renew: "yes" is not a number of renewals');
    expect(reasonFor({ disable_renewal_notifications: 'true' })).toBe(
      'disable_renewal_notifications: "true" is not 0 or 1',
    );
  });

  it('treats the newer columns as off when a report lacks them, and an unreadable valid_from as unknown', () => {
    const { auto_renew, disable_renewal_notifications, valid_from, ...older } = SEED_ROW;
    const result = toReportRecord(older, 1);
    expect(result.kind === 'order' && result.order).toMatchObject({
      autoRenew: 0,
      disableRenewalNotifications: false,
      validFrom: null,
    });
    expect(orderFor({ valid_from: '2018-02-30' }).validFrom).toBeNull();
  });
});
