/**
 * Builds the public notification event (DESIGN.md) from the report row, the order detail when there is one,
 * and the certificate being announced.
 */
import { orderUrl } from './console-links.ts';
import { severityFor } from './levels.ts';
import type {
  AlertLevel,
  CertificateAction,
  NotificationEvent,
  OrderDetail,
  Plan,
  RenewalInfo,
  ReportOrder,
  Severity,
} from './model.ts';

/** The certificate an event is about: the order's own, or one of its duplicates. */
export interface AnnouncedCertificate {
  certificateId: number | null;
  duplicate: boolean;
  commonName: string | null;
  dnsNames: string[];
  validTill: string;
  daysRemaining: number;
}

export interface EventInput {
  order: ReportOrder;
  detail: OrderDetail | null;
  certificate: AnnouncedCertificate;
  /** The level announced; null for a renewed notice. */
  level: AlertLevel | null;
  /** A renewed notice's severity: the last alert announced for the certificate's (ignored for an alert). */
  renewedSeverity: Severity;
  renewal: RenewalInfo | null;
  plan: Plan;
  action: CertificateAction;
  scannedAt: string;
  /** The CertCentral console the event links to (`console-links.ts`). */
  consoleUrl: string;
}

export function buildEvent({
  order,
  detail,
  certificate,
  level,
  renewedSeverity,
  renewal,
  plan,
  action,
  scannedAt,
  consoleUrl,
}: EventInput): NotificationEvent {
  const type =
    level === null
      ? 'certificate.renewed'
      : level === 'expired'
        ? 'certificate.expired'
        : 'certificate.expiring';
  const contacts = detail?.contacts.length
    ? detail.contacts
    : order.technicalContact
      ? [order.technicalContact]
      : [];
  return {
    type,
    orderId: order.orderId,
    certificateId: certificate.certificateId,
    duplicate: certificate.duplicate,
    threshold: typeof level === 'number' ? level : null,
    daysRemaining: certificate.daysRemaining,
    validTill: certificate.validTill,
    commonName: certificate.commonName || detail?.commonName || order.commonName,
    dnsNames: certificate.dnsNames.length > 0 ? certificate.dnsNames : order.dnsNames,
    status: detail?.status ?? order.status,
    product: detail?.product ?? order.product,
    organization: detail?.organization ?? order.organizationName,
    container: detail?.container ?? order.containerName,
    subaccount: detail?.subaccount ?? null,
    renewal,
    contacts,
    severity: level === null ? renewedSeverity : severityFor(certificate.daysRemaining),
    action,
    plan,
    scannedAt,
    // A renewed notice leads to the order that renewed it, where the new certificate is.
    orderUrl: orderUrl(
      consoleUrl,
      type === 'certificate.renewed' && renewal ? renewal.orderId : order.orderId,
    ),
    test: false,
  };
}
