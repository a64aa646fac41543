/**
 * How long the heartbeat alarm waits for a successful scan: the longest gap between two scheduled scans plus a
 * margin, so that it fires when a scheduled scan did not succeed and never between two runs (a weekday schedule
 * leaves a 72-hour gap every weekend).
 */
import { ConfigError } from '../functions/core/config.ts';
import { longestScheduleGapMinutes } from './schedule-gap.ts';

/** A scan may start late, run up to 15 minutes and be retried; the alarm sees whole hours. */
export const HEARTBEAT_MARGIN_HOURS = 2;

/**
 * PutMetricAlarm: period × evaluation periods may not exceed 7 days (one day for periods under an hour). The
 * heartbeat counts hours, so it can watch at most 168 of them.
 */
export const CLOUDWATCH_MAX_EVALUATION_SECONDS = 7 * 86_400;
const HOUR_SECONDS = 3600;
export const HEARTBEAT_MAX_HOURS = CLOUDWATCH_MAX_EVALUATION_SECONDS / HOUR_SECONDS;

export interface Heartbeat {
  /** The scan's EventBridge schedule expression. */
  schedule: string;
  /** The longest time between two scheduled scans, in minutes. */
  longestGapMinutes: number;
  /** Hourly periods without a successful scan before the alarm fires: the gap and the margin, whole hours. */
  hours: number;
}

/** The heartbeat for a scan schedule; a schedule whose gaps CloudWatch cannot watch is refused, naming it. */
export function heartbeatFor(schedule: string): Heartbeat {
  const longestGapMinutes = longestScheduleGapMinutes(schedule);
  const hours = Math.ceil(longestGapMinutes / 60) + HEARTBEAT_MARGIN_HOURS;
  if (hours > HEARTBEAT_MAX_HOURS) {
    throw new ConfigError(
      'schedule',
      schedule,
      `leaves up to ${describeMinutes(longestGapMinutes)} between two scans, and the heartbeat alarm (no successful scan for that long plus ${HEARTBEAT_MARGIN_HOURS} hours) can watch at most ${HEARTBEAT_MAX_HOURS / 24} days (CloudWatch's limit): schedule the scan at least every ${describeMinutes((HEARTBEAT_MAX_HOURS - HEARTBEAT_MARGIN_HOURS) * 60)}`,
    );
  }
  return { schedule, longestGapMinutes, hours };
}

/** "3 days 2 hours", "45 minutes". */
export function describeMinutes(minutes: number): string {
  const parts: Array<[number, string]> = [
    [Math.floor(minutes / 1440), 'day'],
    [Math.floor((minutes % 1440) / 60), 'hour'],
    [minutes % 60, 'minute'],
  ];
  const shown = parts
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`);
  return shown.join(' ') || '0 minutes';
}
