/**
 * The weekly summary for people: a subject, and a plain-text body grouped by severity, most urgent first, muted
 * certificates marked. Email gets it through SNS; Slack builds its blocks from the same lines.
 */
import type { Severity } from '../core/model.ts';
import type { OverviewRow } from '../core/overview.ts';
import { routeLabel } from '../core/routes.ts';
import type { WeeklySummary } from '../core/summary.ts';
import { singleLine } from './text-fit.ts';

/** From the most to the least urgent. */
export const SUMMARY_SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export function summaryWorstSeverity(summary: WeeklySummary): Severity {
  return SUMMARY_SEVERITIES.find((severity) => summary.bySeverity[severity] > 0) ?? 'info';
}

/** "3 critical, 4 warning, 5 info, 1 muted". */
function counts(summary: WeeklySummary): string {
  const { critical, warning, info } = summary.bySeverity;
  return `${critical} critical, ${warning} warning, ${info} info, ${summary.muted} muted`;
}

/** SNS refuses subjects of 100 characters or more. */
const SUBJECT_MAX_LENGTH = 99;

/** Under 100 characters: "Certificate summary: 12 expiring within 30 days (3 critical, 4 warning, 5 info, 1 muted)". */
export function summarySubject(summary: WeeklySummary): string {
  const label = routeLabel(summary.route);
  const route = label === null ? '' : ` [${label.slice(0, 20)}]`;
  if (summary.total === 0)
    return `Certificate summary${route}: nothing expires within ${summary.withinDays} days`;
  const base = `Certificate summary${route}: ${summary.total} expiring within ${summary.withinDays} days`;
  const full = `${base} (${counts(summary)})`;
  return full.length <= SUBJECT_MAX_LENGTH ? full : base;
}

/** "expires in 5 days", "expires today", "expired 3 days ago". */
function expiry(days: number): string {
  if (days > 1) return `expires in ${days} days`;
  if (days === 1) return 'expires tomorrow';
  if (days === 0) return 'expires today';
  return days === -1 ? 'expired yesterday' : `expired ${-days} days ago`;
}

/** One certificate: "example.com: expires in 5 days, valid till …, order 1 (certificate 2), Container; MUTED until …". */
export function summaryLine(row: OverviewRow): string {
  const name = singleLine(row.commonName) || '(no common name)';
  const reference =
    row.certificateId === null
      ? `order ${row.orderId}`
      : `order ${row.orderId}, certificate ${row.certificateId}`;
  const parts = [`${name}: ${expiry(row.daysRemaining)}, valid till ${row.validTill}, ${reference}`];
  if (row.container) parts.push(singleLine(row.container));
  if (row.subaccount) parts.push(`subaccount ${singleLine(row.subaccount.organizationName)}`);
  if (row.action === 'reissue') parts.push('reissue under the Multi-year Plan');
  if (row.renewal) parts.push(`renewal ${row.renewal.orderId} ${singleLine(row.renewal.status)}`);
  const line = parts.join(', ');
  if (!row.mute) return line;
  return `${line}; MUTED until ${row.mute.until} by ${singleLine(row.mute.by)}: ${singleLine(row.mute.reason)}`;
}

export interface SummaryGroup {
  severity: Severity;
  /** How many certificates of this severity; `rows` may list fewer when the message had to be cut. */
  count: number;
  rows: OverviewRow[];
}

/** The listed certificates by severity (most urgent group first); empty groups left out. */
export function summaryGroups(summary: WeeklySummary): SummaryGroup[] {
  return SUMMARY_SEVERITIES.map((severity) => {
    const rows = summary.certificates.filter((row) => row.severity === severity);
    return { severity, count: Math.max(summary.bySeverity[severity], rows.length), rows };
  }).filter((group) => group.count > 0);
}

/** The plain-text email body. */
export function summaryText(summary: WeeklySummary): string {
  const heading =
    summary.total === 0
      ? `No watched certificate expires within ${summary.withinDays} days, and none expired recently.`
      : `${summary.total} watched certificates expire within ${summary.withinDays} days or expired recently: ${counts(summary)}.`;
  const blocks = summaryGroups(summary).map((group) => {
    const more = group.count - group.rows.length;
    return [
      `${group.severity.toUpperCase()} (${group.count})`,
      ...group.rows.map((row) => `- ${summaryLine(row)}`),
      ...(more > 0 ? [`... and ${more} more`] : []),
      '',
    ];
  });
  return [
    heading,
    '',
    ...blocks.flat(),
    'Muted certificates get no alerts until their mutes end (expiry-alerts mutes lists them).',
    `As of ${summary.scannedAt}, by expiry-alerts.`,
    '',
  ].join('\n');
}
