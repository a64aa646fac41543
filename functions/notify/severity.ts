import { byUrgency } from '../core/digest.ts';
import type { AlertDigest, NotificationEvent, Severity } from '../core/model.ts';

/** From the most to the least urgent. */
const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

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
