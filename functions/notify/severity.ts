import type { AlertDigest, NotificationEvent, Severity } from '../core/model.ts';

/** From the most to the least urgent. */
const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** Most urgent first: by severity, then fewest days left, then name and order for a stable order. */
export function byUrgency(a: NotificationEvent, b: NotificationEvent): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    a.daysRemaining - b.daysRemaining ||
    a.commonName.localeCompare(b.commonName) ||
    a.orderId - b.orderId
  );
}

export function worstSeverity(digest: AlertDigest): Severity {
  return SEVERITIES.find((severity) => digest.bySeverity[severity] > 0) ?? 'info';
}

export interface SeverityGroup {
  severity: Severity;
  /** How many alerts of this severity the scan produced; `alerts` may list fewer when a message had to be cut. */
  count: number;
  alerts: NotificationEvent[];
}

/** The digest's alerts by severity (most urgent group first), each group sorted by days left. Empty groups are left out. */
export function groupBySeverity(digest: AlertDigest): SeverityGroup[] {
  const sorted = [...digest.alerts].sort(byUrgency);
  return SEVERITIES.map((severity) => {
    const alerts = sorted.filter((alert) => alert.severity === severity);
    return { severity, count: Math.max(digest.bySeverity[severity], alerts.length), alerts };
  }).filter((group) => group.count > 0);
}
