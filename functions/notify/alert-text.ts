import type { AlertDigest, Contact, NotificationEvent } from '../core/model.ts';
import { routeLabel } from '../core/routes.ts';
import type { DeliveredEvent } from './event-fit.ts';
import { groupBySeverity } from './severity.ts';
import { ASCII_ELLIPSIS, asciiLine, singleLine, truncate } from './text-fit.ts';

/**
 * SNS takes a subject only in printable ASCII, on one line, starting with a letter, a digit or punctuation, and
 * under 100 characters; the other subjects (Slack, the terminal) keep the same length.
 */
const SUBJECT_MAX_LENGTH = 99;

/**
 * `unicode`: names as they are (Slack, the terminal); `ascii`: names transliterated to ASCII, for SNS subjects
 * (the email body and the JSON event keep the real names).
 */
export type SubjectCharset = 'unicode' | 'ascii';
const NONE = '(none)';

/** "expires in 5 days", "expires today", "expired 3 days ago", "was renewed". */
export function expiryPhrase(event: NotificationEvent): string {
  if (event.type === 'certificate.renewed') return 'was renewed';
  const days = event.daysRemaining;
  if (days > 1) return `expires in ${days} days`;
  if (days === 1) return 'expires tomorrow';
  if (days === 0) return 'expires today';
  if (days === -1) return 'expired yesterday';
  return `expired ${-days} days ago`;
}

/** "5 days left", "1 day left", "expires today", "expired 3 days ago". */
export function daysLeft(event: NotificationEvent): string {
  const days = event.daysRemaining;
  if (days > 1) return `${days} days left`;
  if (days === 1) return '1 day left';
  if (days === 0) return 'expires today';
  return days === -1 ? 'expired 1 day ago' : `expired ${-days} days ago`;
}

/**
 * The order that renewed a renewed notice's certificate, when it is another order (a certificate reissued in
 * its own order, with a later valid_till, names its own order as the renewal).
 */
function renewingOrder(event: NotificationEvent): number | null {
  const { renewal } = event;
  return event.type === 'certificate.renewed' && renewal && renewal.orderId !== event.orderId
    ? renewal.orderId
    : null;
}

/** "order 123456", "order 123456, certificate 5001" for a duplicate, "order 1 -> 2" for a renewal notice. */
export function orderReference(event: NotificationEvent): string {
  const renewing = renewingOrder(event);
  if (renewing !== null) return `order ${event.orderId} -> ${renewing}`;
  if (event.duplicate && event.certificateId !== null) {
    return `order ${event.orderId}, certificate ${event.certificateId}`;
  }
  return `order ${event.orderId}`;
}

/**
 * A reissue of the order's own certificate was requested and is not issued yet (the order's status is
 * `reissue_pending`): the certificate announced stays in use until then. Not said of a duplicate, which a reissue
 * of the order leaves as it is.
 */
function reissuePending(event: NotificationEvent): boolean {
  return event.type !== 'certificate.renewed' && !event.duplicate && event.status === 'reissue_pending';
}

export function renewalState(event: NotificationEvent): string {
  const { renewal } = event;
  if (event.type === 'certificate.renewed') {
    const renewing = renewingOrder(event);
    return renewing !== null
      ? `Renewed by order ${renewing}`
      : 'Renewed: the certificate now runs to a later date';
  }
  if (!renewal) {
    return reissuePending(event)
      ? `A reissue (order ${event.orderId}) is pending: this certificate stays in use until it is issued`
      : 'No renewal yet';
  }
  const status = renewal.status === 'pending' ? '' : ` (status: ${singleLine(renewal.status)})`;
  return `A renewal (order ${renewal.orderId}) is pending${status}`;
}

/** "7 days before expiry", "1 day before expiry". */
export function thresholdLabel(threshold: number): string {
  return `${threshold} ${threshold === 1 ? 'day' : 'days'} before expiry`;
}

export function productLabel(event: NotificationEvent): string {
  const { name, nameId } = event.product;
  return name ? `${singleLine(name)} (${nameId})` : nameId || NONE;
}

export function subaccountLabel(event: NotificationEvent): string | null {
  const { subaccount } = event;
  return subaccount ? `${singleLine(subaccount.organizationName)} (account ${subaccount.accountId})` : null;
}

export function contactLabel(contact: Contact): string {
  return `${singleLine(contact.name)} <${singleLine(contact.email)}> (${contact.role})`;
}

/** "Renew (buy the next certificate)" or "Reissue under the Multi-year Plan, covered until 2028-01-31". */
export function actionLabel(event: NotificationEvent): string {
  if (event.action === 'reissue') {
    const until = event.plan.orderValidTill ? `, covered until ${event.plan.orderValidTill}` : '';
    return `Reissue under the Multi-year Plan${until} (nothing to buy)`;
  }
  return event.plan.multiYear
    ? 'Renew: the Multi-year Plan ends with this certificate'
    : 'Renew (buy the next certificate)';
}

/**
 * When DigiCert should have acted by itself on the order's own certificate and has not: "Auto-renew is on and no
 * renewal has been issued yet". Null otherwise (and for duplicates, which DigiCert's automation leaves alone).
 */
export function automationNote(event: NotificationEvent): string | null {
  if (event.type === 'certificate.renewed' || event.duplicate) return null;
  if (event.plan.autoRenew > 0) {
    return 'Auto-renew is on and no renewal has been issued yet: DigiCert renews 30 days before expiry, so the renewal may be stuck in validation or payment.';
  }
  if (event.plan.autoReissue && event.action === 'reissue') {
    return 'Auto-reissue is on and no reissue has been issued yet: DigiCert reissues 30 days before expiry, so the reissue may be waiting for validation.';
  }
  return null;
}

/** What the reader should do next. */
export function nextStep(event: NotificationEvent): string {
  if (event.type === 'certificate.renewed') {
    return 'Make sure the new certificate is installed wherever the old one was; no further alerts come for the old one.';
  }
  if (event.type === 'certificate.expired') {
    return 'Services still using this certificate fail TLS checks: renew or replace it now, or ignore this if it is no longer in use.';
  }
  if (event.renewal) {
    return `Complete the pending renewal (order ${event.renewal.orderId}) in CertCentral, which may be waiting for validation or approval, and install the new certificate before ${event.validTill}.`;
  }
  if (reissuePending(event)) {
    return `Complete the pending reissue (order ${event.orderId}) in CertCentral, which may be waiting for validation, and install the reissued certificate before ${event.validTill}.`;
  }
  if (event.action === 'reissue') {
    return `Reissue the certificate in CertCentral (order ${event.orderId}; the Multi-year Plan covers it, nothing to buy) and install the new one before ${event.validTill}.`;
  }
  return `Renew the certificate in CertCentral (order ${event.orderId}) and install the new one before ${event.validTill}.`;
}

function commonName(event: NotificationEvent): string {
  return singleLine(event.commonName) || '(no common name)';
}

/** Starts the subject of a test alert. */
export const TEST_MARKER = '[test]';

/** What a test alert says first: nothing is wrong. */
export const TEST_NOTE =
  'This is a test alert from expiry-alerts: no certificate needs anything. It shows what an alert looks like and that this subscription receives them.';

/**
 * One line, under 100 characters: "example.com expires in 5 days (order 123456)"; a test alert's starts `[test]`.
 * A long name is cut, never the words and the order after it; in `ascii`, the whole subject is printable ASCII
 * and a cut ends with "...".
 */
export function alertSubject(event: NotificationEvent, charset: SubjectCharset = 'unicode'): string {
  const head = event.test ? `${TEST_MARKER} ` : '';
  const tail = ` ${expiryPhrase(event)} (${orderReference(event)})`;
  const room = SUBJECT_MAX_LENGTH - head.length - tail.length;
  if (charset === 'unicode') return `${head}${truncate(commonName(event), room)}${tail}`;
  const name =
    asciiLine(event.commonName) || (singleLine(event.commonName) ? '(non-ASCII name)' : '(no common name)');
  return asciiSubject(`${head}${truncate(name, room, ASCII_ELLIPSIS)}${tail}`);
}

/** Any subject made safe for SNS: printable ASCII, one line, under 100 characters. */
export function asciiSubject(subject: string): string {
  return truncate(asciiLine(subject), SUBJECT_MAX_LENGTH, ASCII_ELLIPSIS);
}

/** "Open the order in CertCentral"; a renewed notice's leads to the new order, a test alert's to the order list. */
export function orderLinkLabel(event: NotificationEvent): string {
  if (event.test) return 'Open CertCentral';
  return renewingOrder(event) !== null
    ? 'Open the new order in CertCentral'
    : 'Open the order in CertCentral';
}

function headline(event: NotificationEvent): string {
  if (event.type === 'certificate.renewed') {
    const renewing = renewingOrder(event);
    const by = renewing !== null ? ` by order ${renewing}` : '';
    return `${commonName(event)} (order ${event.orderId}) was renewed${by}.`;
  }
  return `${commonName(event)} ${expiryPhrase(event)} (valid till ${event.validTill}, UTC).`;
}

function factRows(event: DeliveredEvent): Array<[string, string[]]> {
  const certificate = event.certificateId === null ? '' : `, certificate ${event.certificateId}`;
  const rows: Array<[string, string[]]> = [
    ['Certificate', [commonName(event)]],
    ['Valid till', [`${event.validTill} (${daysLeft(event)})`]],
  ];
  if (event.threshold !== null) rows.push(['Alert level', [thresholdLabel(event.threshold)]]);
  rows.push(
    ['Order', [`${event.orderId}${certificate}${event.duplicate ? ' (duplicate certificate)' : ''}`]],
    ['Organization', [singleLine(event.organization) || NONE]],
    ['Container', [singleLine(event.container) || NONE]],
    ['Product', [productLabel(event)]],
  );
  const subaccount = subaccountLabel(event);
  if (subaccount) rows.push(['Subaccount', [subaccount]]);
  if (event.type !== 'certificate.renewed') rows.push(['Action', [actionLabel(event)]]);
  const automation = automationNote(event);
  if (automation) rows.push(['Automation', [automation]]);
  rows.push(
    ['Renewal', [renewalState(event)]],
    ['DNS names', [dnsNamesLabel(event)]],
    [
      'Contacts',
      [...(event.contacts.length > 0 ? event.contacts.map(contactLabel) : [NONE]), ...moreContacts(event)],
    ],
  );
  return rows;
}

function dnsNamesLabel(event: DeliveredEvent): string {
  const listed = event.dnsNames.map(singleLine).join(', ') || NONE;
  const cut = event.truncated?.dnsNames;
  return cut ? `${listed} … and ${cut.originalCount - event.dnsNames.length} more` : listed;
}

function moreContacts(event: DeliveredEvent): string[] {
  const cut = event.truncated?.contacts;
  return cut ? [`… and ${cut.originalCount - event.contacts.length} more`] : [];
}

/** "This message was cut to fit …: dnsNames (5000 in all), organization (300000 characters)." */
export function truncationNote(event: DeliveredEvent): string | null {
  const cuts = Object.entries(event.truncated ?? {}).map(([path, cut]) =>
    'originalCount' in cut
      ? `${path} (${cut.originalCount} in all)`
      : `${path} (${cut.originalLength} characters)`,
  );
  return cuts.length === 0
    ? null
    : `This message was cut to fit the channel's size limit: ${cuts.join(', ')}.`;
}

/** The plain-text email body for one alert. */
export function alertText(event: DeliveredEvent): string {
  const width = 14;
  const facts = factRows(event).flatMap(([label, values]) =>
    values.map((value, index) => `${(index === 0 ? label : '').padEnd(width)}${value}`),
  );
  const note = truncationNote(event);
  return [
    ...(event.test ? [TEST_NOTE, ''] : []),
    headline(event),
    '',
    ...facts,
    '',
    nextStep(event),
    ...(event.orderUrl ? ['', `${orderLinkLabel(event)}: ${event.orderUrl}`] : []),
    '',
    ...(note ? [note, ''] : []),
    `Scanned at ${event.scannedAt} by expiry-alerts.`,
    '',
  ].join('\n');
}

function severitySummary(digest: AlertDigest): string {
  const { critical, warning, info } = digest.bySeverity;
  return `${critical} critical, ${warning} warning, ${info} info`;
}

/**
 * "Certificate expiry digest: 42 alerts (5 critical, 12 warning, 25 info)"; a route's digest names the route
 * ("Certificate expiry digest for web: …"), under 100 characters.
 */
export function digestSubject(digest: AlertDigest): string {
  const tail = `: ${digest.total} alerts (${severitySummary(digest)})`;
  const label = routeLabel(digest.route);
  const route = label === null ? '' : ` for ${truncate(singleLine(label), 30)}`;
  return `Certificate expiry digest${route}${tail}`;
}

/** One line per certificate in a digest. */
function digestLine(event: NotificationEvent): string {
  const renewal =
    event.type !== 'certificate.renewed' && event.renewal ? `, renewal ${event.renewal.orderId} pending` : '';
  const container = singleLine(event.container) || '(no container)';
  return `${commonName(event)}: ${expiryPhrase(event)}, valid till ${event.validTill}, ${orderReference(event)}, ${container}${renewal}`;
}

/**
 * The digest's groups as blocks of lines: a heading with the count, one line per alert (and with `links`, the
 * order's link on the next line), "… and N more" if cut.
 */
export function digestListing(digest: AlertDigest, links = false): string[][] {
  return groupBySeverity(digest).map((group) => {
    const more = group.count - group.alerts.length;
    return [
      `${group.severity.toUpperCase()} (${group.count})`,
      ...group.alerts.flatMap((alert) => [
        `- ${digestLine(alert)}`,
        ...(links && alert.orderUrl ? [`  ${alert.orderUrl}`] : []),
      ]),
      ...(more > 0 ? [`… and ${more} more`] : []),
    ];
  });
}

/** The plain-text email body for a digest, most urgent first, each alert with its order's link. */
export function digestText(digest: AlertDigest): string {
  const label = routeLabel(digest.route);
  const scope = label === null ? '' : ` for the route ${singleLine(label)}`;
  return [
    `${digest.total} certificate alerts${scope} from the scan at ${digest.scannedAt}: ${severitySummary(digest)}.`,
    '',
    ...digestListing(digest, true).flatMap((block) => [...block, '']),
    'Renew or replace these certificates in CertCentral, starting at the top of the list.',
    '',
  ].join('\n');
}
