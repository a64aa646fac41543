import type { CertState, OrderDetail, ReportOrder } from '../../functions/core/model.ts';

export const SCAN_DAY = '2026-11-23';
export const scanAt = (day = SCAN_DAY): Date => new Date(`${day}T06:00:00Z`);

/** yyyy-MM-dd `days` after `from`. */
export function dayPlus(days: number, from = SCAN_DAY): string {
  const date = new Date(`${from}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function reportOrder(overrides: Partial<ReportOrder> & { orderId: number }): ReportOrder {
  return {
    status: 'issued',
    commonName: `site${overrides.orderId}.example.com`,
    dnsNames: [`site${overrides.orderId}.example.com`],
    validTill: dayPlus(200),
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
}

export function orderDetail(order: ReportOrder, overrides: Partial<OrderDetail> = {}): OrderDetail {
  return {
    orderId: order.orderId,
    status: order.status,
    certificateId: order.orderId + 900_000,
    commonName: order.commonName,
    dnsNames: order.dnsNames,
    validTill: order.validTill,
    organization: order.organizationName,
    container: order.containerName,
    product: order.product,
    contacts: [{ role: 'technical', name: 'Gia Booth', email: 'gia.booth@example.com' }],
    subaccount: null,
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
