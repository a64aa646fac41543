import { type CertState, NO_PLAN, type OrderDetail, type ReportOrder } from '../../functions/core/model.ts';

export const SCAN_DAY = '2026-11-23';
export const scanAt = (day = SCAN_DAY): Date => new Date(`${day}T06:00:00Z`);

/** yyyy-MM-dd `days` after `from`. */
export function dayPlus(days: number, from = SCAN_DAY): string {
  const date = new Date(`${from}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The report's fingerprint of an order's certificates (as `report-row.ts` makes it, without thumbprints). */
export const fingerprintOf = (order: Pick<ReportOrder, 'status' | 'validTill' | 'hasDuplicates'>): string =>
  [order.status, order.validTill ?? '', '', '', order.hasDuplicates ? 1 : 0].join('|');

/** An issued order valid for 397 days, 200 days left, unless `overrides` say otherwise. */
export function reportOrder(overrides: Partial<ReportOrder> & { orderId: number }): ReportOrder {
  const validTill = overrides.validTill === undefined ? dayPlus(200) : overrides.validTill;
  const order: Omit<ReportOrder, 'fingerprint'> = {
    status: 'issued',
    commonName: `site${overrides.orderId}.example.com`,
    dnsNames: [`site${overrides.orderId}.example.com`],
    validTill,
    validFrom: validTill === null ? null : dayPlus(-397, validTill),
    disableRenewalNotifications: false,
    autoRenew: 0,
    containerId: 15,
    containerName: 'History Department',
    organizationName: 'Real Organization',
    product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
    isRenewed: false,
    renewedOrderId: null,
    hasDuplicates: false,
    technicalContact: { role: 'technical', name: 'Gia Booth', email: 'gia.booth@example.com' },
    ...overrides,
  };
  return { ...order, fingerprint: overrides.fingerprint ?? fingerprintOf(order) };
}

export function orderDetail(order: ReportOrder, overrides: Partial<OrderDetail> = {}): OrderDetail {
  return {
    orderId: order.orderId,
    status: order.status,
    certificateId: order.orderId + 900_000,
    commonName: order.commonName,
    dnsNames: order.dnsNames,
    validTill: order.validTill,
    validFrom: order.validFrom,
    organization: order.organizationName,
    container: order.containerName,
    product: order.product,
    contacts: [{ role: 'technical', name: 'Gia Booth', email: 'gia.booth@example.com' }],
    subaccount: null,
    plan: NO_PLAN,
    disableRenewalNotifications: null,
    ...overrides,
  };
}

export function announced(
  certKey: string,
  orderId: number,
  validTill: string,
  level: CertState['announced'],
): CertState {
  return { certKey, orderId, validTill, announced: level };
}

/** A state snapshot of these certificates, with no order facts. */
export const snapshotOf = (certificates: readonly CertState[] = []) => ({
  certificates: new Map(certificates.map((cert) => [cert.certKey, cert])),
  orders: new Map(),
});
