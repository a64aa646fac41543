/**
 * The sample alert of `test-alert`: clearly marked (`"test": true`, subject `[test] …`), shaped like the alerts
 * the route it is sent to receives (the route's first container, organization, product and severity), and
 * linking to the console's order list, since its order does not exist.
 */
import { ordersListUrl } from './console-links.ts';
import type { NotificationEvent, Severity } from './model.ts';
import type { RouteFilter } from './routes.ts';

export const SAMPLE_ORDER_ID = 123456;

/** The days left and threshold a sample of each severity shows. */
const SAMPLE_DAYS: Record<Severity, number> = { critical: 3, warning: 7, info: 30 };

const DAY_MS = 86_400_000;

export interface SampleEventInput {
  now: Date;
  consoleUrl: string;
  /** Shape the sample like this route's alerts; null: a plain warning. */
  route: RouteFilter | null;
}

/** A warning, unless the route hears only other severities. */
function sampleSeverity(route: RouteFilter | null): Severity {
  const allowed = route?.severities;
  if (!allowed || allowed.includes('warning')) return 'warning';
  return allowed[0] ?? 'warning';
}

export function sampleEvent({ now, consoleUrl, route }: SampleEventInput): NotificationEvent {
  const severity = sampleSeverity(route);
  const days = SAMPLE_DAYS[severity];
  const today = Math.floor(now.getTime() / DAY_MS);
  const product = route?.products?.[0];
  return {
    type: 'certificate.expiring',
    orderId: SAMPLE_ORDER_ID,
    certificateId: null,
    duplicate: false,
    threshold: days,
    daysRemaining: days,
    validTill: new Date((today + days) * DAY_MS).toISOString().slice(0, 10),
    commonName: 'test-alert.example.com',
    dnsNames: ['test-alert.example.com', 'www.test-alert.example.com'],
    status: 'issued',
    product: { nameId: product ?? 'ssl_plus', name: product ?? 'Standard SSL', type: 'ssl_certificate' },
    organization: route?.organizations?.[0] ?? 'Example Organization',
    container: route?.containers?.[0] ?? 'Example Container',
    subaccount: null,
    renewal: null,
    contacts: [{ role: 'technical', name: 'Test Contact', email: 'test-contact@example.com' }],
    severity,
    action: 'renew',
    plan: { multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false },
    scannedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    orderUrl: ordersListUrl(consoleUrl),
    test: true,
  };
}
