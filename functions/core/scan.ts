/**
 * The scan stage: stream the report against the stored state, decide the candidates and hand them to the alert
 * stage (`dispatch`: SQS in AWS, in-process locally). When they are a flood, the alerts go out `digested` and
 * the scan opens their digest, which is delivered once the alert stage has drained (`digest.ts`).
 */
import type { CandidateMessage } from './announce.ts';
import { CandidateCollector, type UnwatchedCounts } from './candidates.ts';
import type { Census } from './census.ts';
import type { AlertPolicy } from './config.ts';
import type { DigestLedger } from './digest.ts';
import type { SkippedRow } from './model.ts';
import type { ListingReason } from './order-facts.ts';
import type { Clock, Log, ReportSource, StateStore } from './ports.ts';

export interface ScanDeps {
  report: ReportSource;
  state: Pick<StateStore, 'loadAll'>;
  /** Opens the digest when the scan finds more alerts than `policy.digestThreshold`. */
  digests: Pick<DigestLedger, 'open'>;
  dispatch: (messages: CandidateMessage[]) => Promise<void>;
  policy: AlertPolicy;
  clock: Clock;
  log: Log;
}

export interface ScanResult {
  scannedAt: string;
  rows: number;
  skippedRows: number;
  /** The first skipped rows, for the summary (all of them are logged up to a cap and counted). */
  skippedSamples: SkippedRow[];
  knownCertificates: number;
  /** Orders with a certificate due (each costs an order-detail call). */
  alertCandidates: number;
  /** Certificates found due: the orders' own and their duplicates. */
  dueCertificates: number;
  /** Alert candidates whose report row says has_duplicates=1 (each costs a duplicates call). */
  alertCandidatesWithDuplicates: number;
  renewedCandidates: number;
  /** Orders whose duplicates are listed although nothing is due for them, by why (one call each). */
  duplicatesListings: Record<ListingReason, number>;
  /** Orders left alone: excluded products, notifications off in CertCentral, known to be no longer issued. */
  unwatched: UnwatchedCounts;
  /** The alerts were a flood: they went out `digested`, and their digest was opened. */
  digestOpened: boolean;
  /** Watched certificates (own and duplicates) by band of days left, and how many are muted. */
  census: Census;
}

const SKIPPED_SAMPLES = 20;

/** The scan's instant, to the second: every day count of this scan is taken from its UTC date. */
export function scanInstant(clock: Clock): string {
  return clock()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

export async function runScan(deps: ScanDeps): Promise<ScanResult> {
  const scannedAt = scanInstant(deps.clock);
  const state = await deps.state.loadAll();
  const collector = new CandidateCollector(deps.policy, new Date(scannedAt), state);

  let rows = 0;
  let skippedRows = 0;
  const skippedSamples: SkippedRow[] = [];
  for await (const record of deps.report.records()) {
    if (record.kind === 'order') {
      rows += 1;
      collector.add(record.order);
      continue;
    }
    skippedRows += 1;
    if (skippedSamples.length < SKIPPED_SAMPLES) {
      skippedSamples.push(record.skipped);
      deps.log.warn('report row skipped', { ...record.skipped });
    }
  }

  const candidates = collector.finish();
  const alerts = candidates.filter((candidate) => candidate.kind === 'alert');
  const listings = candidates.filter((candidate) => candidate.kind === 'duplicates');
  const dueCertificates = alerts.reduce((sum, alert) => sum + alert.due.length, 0);
  const duplicatesListings: Record<ListingReason, number> = { first: 0, changed: 0, refresh: 0 };
  for (const listing of listings) duplicatesListings[listing.reason] += 1;
  // An order listed for the first time may hold duplicates that are due: counted in, so that a first scan's
  // flood is recognised as one before the alert stage finds them.
  const flood = dueCertificates + duplicatesListings.first > deps.policy.digestThreshold;
  // Opened before the first candidate is handed over, so that a scan that fails part-way (a queue that refuses a
  // batch, a timeout) still leaves a digest of what the alert stage sends; opened again once every candidate is
  // handed over, so that the digest waits for the alert stage from then on.
  if (flood) await deps.digests.open(scannedAt, deps.clock());
  await deps.dispatch(
    candidates.map((candidate) => ({
      candidate,
      scannedAt,
      delivery: flood && candidate.kind !== 'renewed' ? 'digested' : 'individual',
    })),
  );

  if (flood) await deps.digests.open(scannedAt, deps.clock());

  return {
    scannedAt,
    rows,
    skippedRows,
    skippedSamples,
    knownCertificates: state.certificates.size,
    alertCandidates: alerts.length,
    dueCertificates,
    alertCandidatesWithDuplicates: alerts.filter((alert) => alert.order.hasDuplicates).length,
    renewedCandidates: candidates.length - alerts.length - listings.length,
    duplicatesListings,
    unwatched: collector.unwatched,
    digestOpened: flood,
    census: collector.censusOf(),
  };
}
