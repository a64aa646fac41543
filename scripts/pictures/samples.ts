/**
 * The messages the docs show: an expiring alert, an expired one, a renewed notice and a route's digest, as the
 * code builds them (`buildEvent` for the events, `RoutedDigests` for the digest) from realistic orders.
 */
import { US_CONSOLE_URL } from '../../functions/core/console-links.ts';
import { RoutedDigests } from '../../functions/core/digest.ts';
import { buildEvent, type EventInput } from '../../functions/core/event.ts';
import { daysRemaining } from '../../functions/core/levels.ts';
import {
  type AlertDigest,
  NO_PLAN,
  type NotificationEvent,
  type ReportOrder,
} from '../../functions/core/model.ts';

export const SCANNED_AT = '2026-11-23T06:00:00Z';
const SCAN = new Date(SCANNED_AT);

function day(offset: number): string {
  return new Date(SCAN.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
}

function order(
  orderId: number,
  commonName: string,
  validTill: string,
  fields: Partial<ReportOrder> = {},
): ReportOrder {
  return {
    orderId,
    status: 'issued',
    commonName,
    dnsNames: [commonName, `www.${commonName}`],
    validTill,
    validFrom: day(-390),
    fingerprint: '',
    disableRenewalNotifications: false,
    autoRenew: 0,
    containerId: 2001,
    containerName: 'Web Platform',
    organizationName: 'Acme Ltd',
    product: { nameId: 'ssl_plus', name: 'Standard SSL', type: 'ssl_certificate' },
    isRenewed: false,
    renewedOrderId: null,
    hasDuplicates: false,
    technicalContact: { role: 'technical', name: 'Dana Whitfield', email: 'dana.whitfield@acme.example' },
    ...fields,
  };
}

function event(
  source: ReportOrder,
  level: EventInput['level'],
  fields: Partial<Omit<EventInput, 'order' | 'level'>> = {},
): NotificationEvent {
  const validTill = source.validTill as string;
  return buildEvent({
    order: source,
    detail: null,
    certificate: {
      certificateId: source.orderId + 4_000_000,
      duplicate: false,
      commonName: null,
      dnsNames: [],
      validTill,
      daysRemaining: daysRemaining(validTill, SCAN),
    },
    level,
    renewedSeverity: 'warning',
    renewal: null,
    plan: NO_PLAN,
    action: 'renew',
    scannedAt: SCANNED_AT,
    consoleUrl: US_CONSOLE_URL,
    ...fields,
  });
}

export const expiring = event(order(1045873, 'shop.example.com', day(7)), 7);

export const expired = event(
  order(987310, 'legacy-api.example.net', day(-3), {
    containerName: 'Payments',
    product: { nameId: 'ssl_securesite_pro', name: 'Secure Site Pro SSL', type: 'ssl_certificate' },
    technicalContact: { role: 'technical', name: 'Ravi Menon', email: 'ravi.menon@acme.example' },
  }),
  'expired',
);

/** The all-clear for `expiring`: it carries the severity of the last alert, so whoever was warned hears it. */
export const renewed = event(order(1045873, 'shop.example.com', day(7), { isRenewed: true }), null, {
  renewal: { orderId: 1101292, status: 'issued' },
  renewedSeverity: 'warning',
});

const FLOOD: [string, number, number | 'expired'][] = [
  ['checkout.example.com', -2, 'expired'],
  ['cdn.example.com', 1, 1],
  ['auth.example.com', 3, 3],
  ['blog.example.com', 6, 7],
  ['docs.example.com', 9, 14],
  ['status.example.com', 12, 14],
  ['careers.example.com', 25, 30],
  ['partners.example.com', 28, 30],
];

/** A morning after a large import: the route `web` gets one digest of its own eight alerts. */
export const digest: AlertDigest = (() => {
  const routed = new RoutedDigests([
    { name: 'web', containers: ['Web Platform'], organizations: null, products: null, severities: null },
  ]);
  FLOOD.forEach(([commonName, days, level], index) => {
    routed.add(event(order(1200400 + index * 17, commonName, day(days)), level));
  });
  const [built] = routed.build(SCANNED_AT);
  if (!built) throw new Error('the sample flood made no digest');
  return built;
})();
