/** The human summary of a local scan, written to stderr. */
import { CLAIM_LEASE_SECONDS } from './claim-lease.ts';
import type { Interruption, LocalScanSummary } from './run-local-scan.ts';

const SKIP_LABELS: Record<string, string> = {
  'already-announced': 'already announced',
  'no-longer-issued': 'no longer issued (detail wins over the report)',
  'not-due': 'not due per the order detail',
  'not-found': 'not found by either order endpoint',
  'notifications-off': 'renewal notices switched off in CertCentral (order detail)',
  muted: 'muted',
};

/** "2 excluded products, 1 with notifications off in CertCentral", or null when every order is watched. */
function unwatchedLine({
  excluded,
  notificationsOff,
  knownNotIssued,
}: LocalScanSummary['scan']['unwatched']) {
  const parts = [
    excluded > 0 ? `${excluded} of excluded products` : '',
    notificationsOff > 0 ? `${notificationsOff} with notifications off in CertCentral` : '',
    knownNotIssued > 0 ? `${knownNotIssued} known to be no longer issued` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? null : `  not watched ${parts.join(', ')} (orders)`;
}

export function formatSummary({
  scan,
  alerts,
  digest,
  leftovers,
  resent,
  certCentral,
  dynamo,
  dryRun,
}: LocalScanSummary): string {
  const calls = certCentral.calls;
  const skipped = Object.entries(alerts.skipped)
    .map(([reason, count]) => `${count} ${SKIP_LABELS[reason] ?? reason}`)
    .join(', ');
  const lines = [
    `scan ${scan.scannedAt}${dryRun ? ' (dry run: nothing recorded, nothing sent)' : ''}`,
    `  report      ${certCentral.pages} page(s), ${scan.rows} orders, ${scan.skippedRows} row(s) skipped`,
    `  candidates  ${scan.alertCandidates} alert(s), ${scan.renewedCandidates} renewed notice(s)${listings(scan.duplicatesListings)}; ${scan.knownCertificates} certificate(s) in state`,
    `  ${dryRun ? 'would send' : 'sent'}  ${' '.repeat(dryRun ? 0 : 6)}${alerts.sent} alert(s), ${alerts.renewedSent} renewed notice(s)${digest ? `, delivered to people as 1 digest of ${digest.total}` : ''}`,
  ];
  if (skipped) lines.push(`  not sent    ${skipped}`);
  const unwatched = unwatchedLine(scan.unwatched);
  if (unwatched) lines.push(unwatched);
  if (leftovers && leftovers.released.length > 0) {
    const given = leftovers.released.length;
    const rest = given - resent;
    lines.push(
      `  recovered   ${given} alert(s) claimed by a scan that stopped were ${rest === 0 ? 'sent again' : `given back: ${resent} sent again, ${rest} no longer due or left for the next scan`}`,
    );
  }
  for (const stopped of leftovers?.digestsSent ?? []) {
    lines.push(
      `  recovered   the digest of the scan at ${stopped.scannedAt}, which stopped before recording it as sent: ${stopped.total} alert(s)`,
    );
  }
  if (leftovers && leftovers.leftToOthers > 0) {
    lines.push(
      `  held        ${leftovers.leftToOthers} alert(s) claimed by another scan (running, or stopped less than ${CLAIM_LEASE_SECONDS / 60} minutes ago): a scan after ${leftovers.leftUntil?.toISOString()} sends them if it did not`,
    );
  }
  if (scan.census.muted > 0) {
    lines.push(
      `  muted       ${scan.census.muted} certificate(s): nothing is sent for them until their mutes end`,
    );
  }
  if (alerts.failedSends + alerts.failedCandidates > 0) {
    lines.push(
      `  FAILED      ${alerts.failedSends} send(s), ${alerts.failedCandidates} candidate(s) — left for the next scan`,
    );
  }
  lines.push(
    `  CertCentral ${calls.report} report, ${calls.order} order, ${calls.subaccountOrder} subaccount, ${calls.duplicates} duplicates = ${certCentral.totalCalls} call(s); ${certCentral.retries} retried, ${certCentral.throttled} throttled (429)`,
  );
  lines.push(`  DynamoDB    ${dynamo.reads} read request(s), ${dynamo.writes} write request(s)`);
  for (const row of scan.skippedSamples) {
    lines.push(`  skipped row ${row.row}${row.orderId ? ` (order ${row.orderId})` : ''}: ${row.reason}`);
  }
  if (scan.skippedRows > scan.skippedSamples.length) {
    lines.push(`  … and ${scan.skippedRows - scan.skippedSamples.length} more skipped row(s)`);
  }
  return `${lines.join('\n')}\n`;
}

/** ", 3 duplicates listing(s) (1 first, 2 refresh)", or nothing. */
function listings(counts: LocalScanSummary['scan']['duplicatesListings']): string {
  const total = counts.first + counts.changed + counts.refresh;
  if (total === 0) return '';
  const reasons = (['first', 'changed', 'refresh'] as const)
    .filter((reason) => counts[reason] > 0)
    .map((reason) => `${counts[reason]} ${reason}`);
  return `, ${total} duplicates listing(s) (${reasons.join(', ')})`;
}

/** "interrupted (SIGINT): 120 of 300 candidates done; the rest are left for the next scan". */
export function formatInterruption({ signal, done, total }: Interruption): string {
  if (done >= total) return `interrupted (${signal}) once every candidate was done: nothing is left over\n`;
  return `interrupted (${signal}): ${done} of ${total} candidates done; the rest are left for the next scan\n`;
}
