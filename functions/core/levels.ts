/**
 * The alert levels of DESIGN.md as pure functions: days remaining, the level a certificate is at, which level
 * is tighter, and the severity people see.
 */
import type { AlertPolicy } from './config.ts';
import type { AlertLevel, Severity } from './model.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `yyyy-MM-dd` date, or null when it is not a real calendar date. */
export function epochDay(date: string): number | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return null;
  return ms / DAY_MS;
}

export function isIsoDate(date: string): boolean {
  return epochDay(date) !== null;
}

/** `valid_till` (a UTC calendar date) minus the scan's UTC calendar date: 0 expires today, < 0 expired. */
export function daysRemaining(validTill: string, scannedAt: Date): number {
  const expiry = epochDay(validTill);
  if (expiry === null)
    throw new RangeError(`valid_till: ${JSON.stringify(validTill)} is not a yyyy-MM-dd date`);
  return expiry - Math.floor(scannedAt.getTime() / DAY_MS);
}

/** `min { t in T : d <= t }` for d >= 0, `expired` for -L <= d < 0, null otherwise. */
export function alertLevel(
  days: number,
  policy: Pick<AlertPolicy, 'thresholds' | 'expiredLookbackDays'>,
): AlertLevel | null {
  if (days < 0) return days >= -policy.expiredLookbackDays ? 'expired' : null;
  let level: number | null = null;
  for (const threshold of policy.thresholds) {
    if (days <= threshold && (level === null || threshold < level)) level = threshold;
  }
  return level;
}

/** Orders levels: smaller days are tighter, `expired` is the tightest. */
export function levelRank(level: AlertLevel): number {
  return level === 'expired' ? -1 : level;
}

/** True when `level` is tighter than `announced` (anything is tighter than nothing announced). */
export function isTighter(level: AlertLevel, announced: AlertLevel | null): boolean {
  return announced === null || levelRank(level) < levelRank(announced);
}

/** info (> 14 days), warning (<= 14), critical (<= 3 and expired). */
export function severityFor(days: number): Severity {
  if (days <= 3) return 'critical';
  if (days <= 14) return 'warning';
  return 'info';
}

/** The least severity an alert at `level` had: its days left were at most the level (`expired`: critical). */
export function severityOfLevel(level: AlertLevel): Severity {
  return level === 'expired' ? 'critical' : severityFor(level);
}

/**
 * The severity of the last alert announced for a certificate: the stored one, or for a state item written before
 * it was stored, the one its announced level implies. Null when nothing was announced.
 */
export function lastAnnouncedSeverity(state: {
  announced: AlertLevel | null;
  announcedSeverity?: Severity;
}): Severity | null {
  if (state.announced === null) return null;
  return state.announcedSeverity ?? severityOfLevel(state.announced);
}
