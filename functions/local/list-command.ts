/**
 * `list`: what expires within N days, most urgent first, as a table for people, JSON or CSV for machines. It
 * reads the report pages and the state (duplicates from the remembered listings), and changes nothing.
 */
import { stringify } from 'csv-stringify/sync';
import { CertCentralClient } from '../certcentral/certcentral-client.ts';
import { digicertWindows } from '../certcentral/rate-limiter.ts';
import { readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError, DEFAULT_POLICY } from '../core/config.ts';
import type { AlertLevel, Severity } from '../core/model.ts';
import { OverviewCollector, type OverviewRow } from '../core/overview.ts';
import { CLIENT_SETTINGS, fromFlags } from './cli-settings.ts';
import { COMMAND_NOW_SETTING, LIST_POLICY_SETTINGS, LIST_SETTINGS } from './command-settings.ts';
import type { CommandIo } from './mute-command.ts';
import { resolveApiKey, type ScanFlags } from './scan-options.ts';
import { openCommandState, resolveCommandState } from './state-access.ts';
import { textTable } from './text-table.ts';

export interface ListIo extends CommandIo {
  stderr: NodeJS.WritableStream;
}

/** "5 days", "1 day", "today", "expired 3 days ago". */
export function daysLabel(days: number): string {
  if (days > 1) return `${days} days`;
  if (days === 1) return '1 day';
  if (days === 0) return 'today';
  return days === -1 ? 'expired 1 day ago' : `expired ${-days} days ago`;
}

/** "7 days", "expired", "-". */
export function levelLabel(level: AlertLevel | null): string {
  if (level === null) return '-';
  if (level === 'expired') return 'expired';
  return level === 1 ? '1 day' : `${level} days`;
}

export function formatListTable(rows: readonly OverviewRow[]): string {
  if (rows.length === 0) return '';
  const table = rows.map((row) => ({
    'days left': daysLabel(row.daysRemaining),
    'valid till': row.validTill,
    'common name': row.commonName,
    order: row.orderId,
    certificate: row.certificateId ?? '-',
    'last alert': levelLabel(row.lastAnnounced),
    muted: row.mute ? `until ${row.mute.until} (${row.mute.by}: ${row.mute.reason})` : '-',
    renewal: row.renewal ? `order ${row.renewal.orderId} ${row.renewal.status}` : '-',
    action: row.action,
    subaccount: row.subaccount ? `${row.subaccount.organizationName} (${row.subaccount.accountId})` : '-',
  }));
  return `${textTable(table, {
    columnSplitter: '  ',
    truncate: true,
    config: { 'common name': { maxWidth: 40 }, muted: { maxWidth: 50 }, subaccount: { maxWidth: 40 } },
  })}\n`;
}

export const CSV_COLUMNS = [
  'daysRemaining',
  'validTill',
  'severity',
  'commonName',
  'orderId',
  'certificateId',
  'duplicate',
  'lastAnnounced',
  'mutedUntil',
  'mutedBy',
  'muteReason',
  'renewalOrderId',
  'renewalStatus',
  'action',
  'product',
  'organization',
  'container',
  'subaccountId',
  'subaccountName',
] as const;

export function formatListCsv(rows: readonly OverviewRow[]): string {
  return stringify(
    rows.map((row) => ({
      daysRemaining: row.daysRemaining,
      validTill: row.validTill,
      severity: row.severity,
      commonName: row.commonName,
      orderId: row.orderId,
      certificateId: row.certificateId ?? '',
      duplicate: row.duplicate,
      lastAnnounced: row.lastAnnounced ?? '',
      mutedUntil: row.mute?.until ?? '',
      mutedBy: row.mute?.by ?? '',
      muteReason: row.mute?.reason ?? '',
      renewalOrderId: row.renewal?.orderId ?? '',
      renewalStatus: row.renewal?.status ?? '',
      action: row.action,
      product: row.product.nameId,
      organization: row.organization,
      container: row.container,
      subaccountId: row.subaccount?.accountId ?? '',
      subaccountName: row.subaccount?.organizationName ?? '',
    })),
    { header: true, columns: [...CSV_COLUMNS], cast: { boolean: (value) => String(value) } },
  );
}

function severityCounts(rows: readonly OverviewRow[]): string {
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const row of rows) counts[row.severity] += 1;
  const muted = rows.filter((row) => row.mute).length;
  return `${counts.critical} critical, ${counts.warning} warning, ${counts.info} info; ${muted} muted`;
}

export async function runList(flags: ScanFlags, io: ListIo): Promise<OverviewRow[]> {
  const source = fromFlags(flags, io.env);
  const list = readSettings(LIST_SETTINGS, source);
  if (list.json && list.csv) throw new ConfigError('--csv', true, 'cannot be combined with --json');
  const policy = { ...DEFAULT_POLICY, ...readSettings(LIST_POLICY_SETTINGS, source) };
  const { baseUrl } = readSettings(CERTCENTRAL_SETTINGS, source);
  const client = readSettings(CLIENT_SETTINGS, source);
  const scannedAt = readSettings(COMMAND_NOW_SETTING, source).now ?? new Date();
  const stateOption = resolveCommandState(flags, io.env);
  const certCentral = new CertCentralClient({
    baseUrl,
    apiKey: resolveApiKey(io.env),
    pageSize: client.pageSize,
    limits: digicertWindows({ per5s: client.requestsPer5s, per3min: client.requestsPer3min }),
    ...io.certCentral,
  });

  const store = await openCommandState(stateOption);
  let rows: OverviewRow[];
  let skipped = 0;
  let orders = 0;
  try {
    const collector = new OverviewCollector({
      policy,
      scannedAt,
      state: await store.state.loadAll(),
      withinDays: list.within,
    });
    for await (const record of certCentral.records()) {
      if (record.kind === 'order') {
        orders += 1;
        collector.add(record.order);
        continue;
      }
      skipped += 1;
      io.stderr.write(
        `skipped report row ${record.skipped.row}${record.skipped.orderId ? ` (order ${record.skipped.orderId})` : ''}: ${record.skipped.reason}\n`,
      );
    }
    rows = collector.finish();
  } finally {
    await store.close();
  }

  if (list.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (list.csv) io.stdout.write(formatListCsv(rows));
  else io.stdout.write(formatListTable(rows));
  const stats = certCentral.stats();
  io.stderr.write(
    `${rows.length} certificate(s) expiring within ${list.within} days or expired within the last ${policy.expiredLookbackDays} (${severityCounts(rows)})\n` +
      `report ${stats.pages} page(s), ${orders} orders, ${skipped} row(s) skipped; CertCentral ${stats.totalCalls} call(s)\n`,
  );
  return rows;
}
