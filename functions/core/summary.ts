/**
 * The weekly summary: one message with the certificates expiring within `summaryWithinDays` (and those expired
 * within the look-back), grouped by severity, muted ones marked. It is the overview (`overview.ts`), made from
 * the report pages and the stored state: no order detail, no duplicates listing, no state change.
 *
 * Each audience (each route, or the alert topic when there are no routes) gets one summary of the certificates it
 * accepts, sent even when it lists none: "nothing expires" is news too.
 */
import type { AlertPolicy } from './config.ts';
import type { Severity } from './model.ts';
import { byDaysLeft, OverviewCollector, type OverviewRow } from './overview.ts';
import type { Clock, Log, ReportSource, StateStore } from './ports.ts';
import { type RouteFilter, routeMatches } from './routes.ts';
import { scanInstant } from './scan.ts';

/**
 * How many certificates a summary lists at most; it counts them all. Email and Slack cut the list further to
 * what fits their limits, most urgent first ("… and N more").
 */
export const SUMMARY_LISTED_CERTIFICATES = 2000;

export interface WeeklySummary {
  type: 'summary';
  /** Which audience it is for: null for the alert topic's subscribers. */
  route: string | null;
  scannedAt: string;
  withinDays: number;
  /** Every certificate of the summary; `certificates` may list fewer. */
  total: number;
  bySeverity: Record<Severity, number>;
  /** How many of them are muted. */
  muted: number;
  /** Most urgent first. */
  certificates: OverviewRow[];
}

export function buildSummary(
  rows: readonly OverviewRow[],
  options: { route: string | null; scannedAt: string; withinDays: number },
): WeeklySummary {
  const bySeverity: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  let muted = 0;
  for (const row of rows) {
    bySeverity[row.severity] += 1;
    if (row.mute) muted += 1;
  }
  return {
    type: 'summary',
    route: options.route,
    scannedAt: options.scannedAt,
    withinDays: options.withinDays,
    total: rows.length,
    bySeverity,
    muted,
    certificates: [...rows].sort(byDaysLeft).slice(0, SUMMARY_LISTED_CERTIFICATES),
  };
}

/** Where one audience's summary goes. */
export interface SummaryAudience {
  /** null: the alert topic itself. */
  route: string | null;
  /** The certificates this audience hears about. */
  accepts(row: OverviewRow): boolean;
  send(summary: WeeklySummary): Promise<void>;
}

/**
 * One audience per route, each hearing of the certificates its filters let through (a team never gets another
 * team's list); with no routes (null), one audience of everything, for the topic's unfiltered subscribers.
 */
export function summaryAudiences(
  routes: readonly RouteFilter[] | null,
  sender: { send(summary: WeeklySummary): Promise<void> },
): SummaryAudience[] {
  const send = (summary: WeeklySummary) => sender.send(summary);
  if (routes === null) return [{ route: null, accepts: () => true, send }];
  return routes.map((route) => ({ route: route.name, accepts: (row) => routeMatches(route, row), send }));
}

export interface SummaryDeps {
  report: ReportSource;
  state: Pick<StateStore, 'loadAll'>;
  audiences: readonly SummaryAudience[];
  policy: AlertPolicy;
  withinDays: number;
  clock: Clock;
  log: Log;
}

export interface SummaryRunResult {
  scannedAt: string;
  rows: number;
  skippedRows: number;
  /** The summaries sent, one per audience. */
  sent: WeeklySummary[];
}

export async function sendWeeklySummaries(deps: SummaryDeps): Promise<SummaryRunResult> {
  const scannedAt = scanInstant(deps.clock);
  const state = await deps.state.loadAll();
  const collector = new OverviewCollector({
    policy: deps.policy,
    scannedAt: new Date(scannedAt),
    state,
    withinDays: deps.withinDays,
  });
  let rows = 0;
  let skippedRows = 0;
  for await (const record of deps.report.records()) {
    if (record.kind === 'order') {
      rows += 1;
      collector.add(record.order);
    } else {
      skippedRows += 1;
    }
  }
  const overview = collector.finish();
  const sent: WeeklySummary[] = [];
  for (const audience of deps.audiences) {
    const summary = buildSummary(overview.filter(audience.accepts), {
      route: audience.route,
      scannedAt,
      withinDays: deps.withinDays,
    });
    await audience.send(summary);
    deps.log.info('weekly summary sent', {
      route: audience.route,
      total: summary.total,
      muted: summary.muted,
      ...summary.bySeverity,
    });
    sent.push(summary);
  }
  return { scannedAt, rows, skippedRows, sent };
}
