import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MAX_HOURS, heartbeatFor } from '../../infra/heartbeat.ts';
import { longestScheduleGapMinutes, scheduleRuns } from '../../infra/schedule-gap.ts';
import { refusal } from '../support/refusal.ts';

const HOUR = 60;
const DAY = 24 * HOUR;

const iso = (dates: Date[]) => dates.map((date) => date.toISOString().slice(0, 16));

describe('longestScheduleGapMinutes', () => {
  it.each([
    ['rate(1 minute)', 1],
    ['rate(5 minutes)', 5],
    ['rate(12 hours)', 12 * HOUR],
    ['rate(1 day)', DAY],
    ['rate(3 days)', 3 * DAY],
  ])('takes a rate at its word: %s', (schedule, gap) => {
    expect(longestScheduleGapMinutes(schedule)).toBe(gap);
  });

  it.each([
    ['daily', 'cron(0 6 * * ? *)', DAY],
    ['twice a day', 'cron(0 6,18 * * ? *)', 12 * HOUR],
    ['weekdays, over the weekend', 'cron(30 7 ? * MON-FRI *)', 3 * DAY],
    ['weekdays by number (2-6 = MON-FRI)', 'cron(30 7 ? * 2-6 *)', 3 * DAY],
    ['office hours on weekdays, Friday 17:00 to Monday 08:00', 'cron(0 8-17 ? * MON-FRI *)', 63 * HOUR],
    ['every 15 minutes', 'cron(0/15 * * * ? *)', 15],
    ['every 10 minutes from minute 1, across the hour', 'cron(1/10 * * * ? *)', 10],
    ['every 5 minutes in office hours on weekdays', 'cron(0/5 8-17 ? * MON-FRI *)', 62 * HOUR + 5],
    ['Saturdays by L (the last day of the week)', 'cron(0 6 ? * L *)', 7 * DAY],
    ['Mondays and Thursdays', 'cron(0 6 ? * MON,THU *)', 4 * DAY],
    ['the 1st and the 15th, from the 15th of a 31-day month', 'cron(0 6 1,15 * ? *)', 17 * DAY],
    ['the last day of the month, from a 31-day month to the next', 'cron(0 6 L * ? *)', 31 * DAY],
    ['the second Tuesday, five weeks apart at most', 'cron(0 6 ? * 3#2 *)', 35 * DAY],
    ['the last Friday, five weeks apart at most', 'cron(0 6 ? * 6L *)', 35 * DAY],
    ['1 January and 1 July, from July to January', 'cron(0 6 1 JAN,JUL ? *)', 184 * DAY],
    ['29 February, 8 years apart across 2100 (no leap day)', 'cron(0 6 29 2 ? *)', (8 * 365 + 1) * DAY],
    ['daily in two years only', 'cron(0 6 * * ? 2026-2027)', DAY],
    ['1 January of 2026 and 2028', 'cron(0 6 1 1 ? 2026,2028)', 730 * DAY],
  ])('%s: %s', (_case, schedule, gap) => {
    expect(longestScheduleGapMinutes(schedule)).toBe(gap);
  });

  it.each([
    ['a minute out of range', 'cron(60 6 * * ? *)', 'minutes "60"'],
    ['an hour out of range', 'cron(0 24 * * ? *)', 'hours "24"'],
    ['day-of-week 0 (EventBridge counts 1-7 from Sunday)', 'cron(0 6 ? * 0 *)', 'day-of-week "0"'],
    ['a sixth Tuesday', 'cron(0 6 ? * 3#6 *)', 'day-of-week "3#6"'],
    ['a month name that is not one', 'cron(0 6 1 JANUARY ? *)', 'month "JANUARY"'],
    ['a backwards range', 'cron(0 6 ? * FRI-MON *)', 'runs backwards'],
    ['a year beyond 2199', 'cron(0 6 * * ? 2200)', 'year "2200"'],
    ['a zero step', 'cron(0/0 6 * * ? *)', 'step "0"'],
    ['five fields', 'cron(0 6 * * ?)', 'needs 6 fields'],
    ['? in both day fields', 'cron(0 6 ? * ? *)', 'exactly one'],
  ])('refuses %s, naming the field', (_case, schedule, named) => {
    const error = refusal(() => longestScheduleGapMinutes(schedule));

    expect(error.setting).toBe('schedule');
    expect(error.message).toContain(schedule);
    expect(error.message).toContain(named);
  });

  it('refuses a cron that never runs, and one that runs only once', () => {
    expect(refusal(() => longestScheduleGapMinutes('cron(0 6 31 2 ? *)')).message).toContain('never runs');
    expect(refusal(() => longestScheduleGapMinutes('cron(0 6 1 1 ? 2026)')).message).toContain('only once');
  });
});

describe('scheduleRuns', () => {
  it('finds the weekday nearest a date within the month (W) and the last weekday (LW)', () => {
    // 2026: 15 Feb is a Sunday, 15 Mar a Sunday, 1 Aug a Saturday, 31 May a Sunday, 31 Jan a Saturday.
    expect(iso(scheduleRuns('cron(0 6 15W * ? *)', new Date('2026-02-01T00:00:00Z'), 2))).toEqual([
      '2026-02-16T06:00',
      '2026-03-16T06:00',
    ]);
    expect(iso(scheduleRuns('cron(0 6 1W * ? *)', new Date('2026-08-01T00:00:00Z'), 1))).toEqual([
      '2026-08-03T06:00',
    ]);
    expect(iso(scheduleRuns('cron(0 6 31W * ? *)', new Date('2026-05-01T00:00:00Z'), 1))).toEqual([
      '2026-05-29T06:00',
    ]);
    expect(iso(scheduleRuns('cron(0 6 LW * ? *)', new Date('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-30T06:00',
      '2026-02-27T06:00',
      '2026-03-31T06:00',
    ]);
    expect(iso(scheduleRuns('cron(0 6 L-2 * ? *)', new Date('2026-02-01T00:00:00Z'), 1))).toEqual([
      '2026-02-26T06:00',
    ]);
  });

  it('runs from the given instant, inclusive, in UTC', () => {
    expect(iso(scheduleRuns('cron(30 7 ? * MON-FRI *)', new Date('2026-01-02T07:30:00Z'), 3))).toEqual([
      '2026-01-02T07:30',
      '2026-01-05T07:30',
      '2026-01-06T07:30',
    ]);
    expect(iso(scheduleRuns('rate(12 hours)', new Date('2026-01-01T00:00:00Z'), 3))).toEqual([
      '2026-01-01T00:00',
      '2026-01-01T12:00',
      '2026-01-02T00:00',
    ]);
  });

  // croner speaks a Quartz-like dialect: with a seconds field, Sunday = 1 (alternativeWeekdays) and day-of-month
  // AND day-of-week (`?` reads as `*`), it runs these EventBridge expressions the same way.
  it.each([
    'cron(0 6 * * ? *)',
    'cron(30 7 ? * MON-FRI *)',
    'cron(0/15 8-17 ? * 2-6 *)',
    'cron(5,35 */6 * * ? *)',
    'cron(0 6 L * ? *)',
    'cron(0 6 LW * ? *)',
    'cron(0 6 15W * ? *)',
    'cron(0 6 1W,15 * ? *)',
    'cron(0 6 ? * 3#2 *)',
    'cron(0 6 ? * FRI#5 *)',
    'cron(0 6 ? * 6L *)',
    'cron(0 6 ? * SUN,SAT *)',
    'cron(0 6 1/10 JAN-MAR,OCT ? *)',
    'cron(0 6 29 2 ? *)',
    'cron(0 6 1 * ? 2026/2)',
    'cron(0 12 ? * 1 2026-2027)',
  ])('runs %s when croner does', (schedule) => {
    const from = new Date('2025-12-30T00:00:00Z');
    const fields = /^cron\((.*)\)$/.exec(schedule)?.[1] as string;
    const reference = new Cron(`0 ${fields}`, {
      mode: '7-part',
      alternativeWeekdays: true,
      domAndDow: true,
      sloppyRanges: true,
      timezone: 'Etc/UTC',
      paused: true,
    });
    // EventBridge's years end with 2199; croner's go on.
    const expected = reference
      .nextRuns(120, new Date(from.getTime() - 1000))
      .filter((run) => run.getUTCFullYear() <= 2199);

    expect(iso(scheduleRuns(schedule, from, 120))).toEqual(iso(expected));
  });
});

describe('heartbeatFor', () => {
  it('waits the longest gap between two scans plus 2 hours, in whole hours', () => {
    expect(heartbeatFor('cron(0 6 * * ? *)')).toEqual({
      schedule: 'cron(0 6 * * ? *)',
      longestGapMinutes: DAY,
      hours: 26,
    });
    expect(heartbeatFor('cron(30 7 ? * MON-FRI *)').hours).toBe(74);
    expect(heartbeatFor('rate(1 hour)').hours).toBe(3);
    expect(heartbeatFor('rate(90 minutes)').hours).toBe(4);
    expect(heartbeatFor('cron(0 6 ? * MON,THU *)').hours).toBe(4 * 24 + 2);
  });

  it('accepts gaps up to what CloudWatch can watch (7 days of hourly periods) and refuses longer ones', () => {
    expect(heartbeatFor('rate(166 hours)').hours).toBe(HEARTBEAT_MAX_HOURS);
    const weekly = refusal(() => heartbeatFor('cron(0 6 ? * MON *)'));
    expect(weekly.setting).toBe('schedule');
    expect(weekly.message).toContain('cron(0 6 ? * MON *)');
    expect(weekly.message).toContain('up to 7 days between two scans');
    expect(weekly.message).toContain('at least every 6 days 22 hours');
    expect(refusal(() => heartbeatFor('cron(0 6 L * ? *)')).message).toContain('31 days');
  });
});
