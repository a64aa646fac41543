/**
 * When an EventBridge schedule expression runs, and the longest time between two of its runs: what the heartbeat
 * alarm must wait before it may say that no scan succeeded.
 *
 * EventBridge's dialect, in UTC: `rate(N minute(s)|hour(s)|day(s))`, or `cron(minutes hours day-of-month month
 * day-of-week year)` with `,` lists, `-` ranges, `/` steps and `*`; `?` in one of the two day fields; `L` (last
 * day of the month, or of the week: Saturday), `L-n` and `LW` in day-of-month, `nW` (the weekday nearest the nth,
 * within the month), `nL` (the last such weekday of the month) and `n#k` (the kth such weekday) in day-of-week;
 * days of the week 1-7 = SUN-SAT; years 1970-2199. Cron libraries count days of the week from 0 and treat `?`,
 * `L` and `W` each their own way, so this small evaluator follows EventBridge's documentation instead.
 *
 * The minutes and hours of a cron do not depend on the day, so its runs are "these times on these days": the
 * longest gap is either between two times of one day or from the last time of a day to the first time of the next
 * day that matches. Every day of the years the cron allows (1970-2199 for `*`) is checked.
 */
import { ConfigError } from '../functions/core/config.ts';

const MINUTES_PER_DAY = 1440;
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const SATURDAY = 7;

const RATE = /^rate\((\d+) (minute|hour|day)s?\)$/;
const CRON = /^cron\((.*)\)$/;
const RATE_UNIT_MINUTES: Record<string, number> = { minute: 1, hour: 60, day: MINUTES_PER_DAY };

/** A date as the day rules see it; `weekday` 1-7 = Sunday-Saturday (EventBridge's numbering). */
interface Day {
  day: number;
  daysInMonth: number;
  weekday: number;
}

type DayRule = (day: Day) => boolean;

interface Cron {
  /** Minutes of the day it runs at, ascending. */
  times: number[];
  months: ReadonlySet<number>;
  years: number[];
  day: DayRule;
}

/** A cron or rate expression EventBridge would not take: the message names the field and the value. */
class ScheduleSyntaxError extends Error {}

/** Whole values `min`-`max` from `*`, `n`, `a-b`, each optionally `/step` (`a/step` runs from a to max). */
function numbers(field: string, min: number, max: number, names: readonly string[] = []): Set<number> {
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(number >= min && number <= max)) {
      throw new ScheduleSyntaxError(`has ${JSON.stringify(text)}, which is not from ${min} to ${max}`);
    }
    return number;
  };
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', step, ...rest] = item.split('/');
    if (rest.length > 0 || range === '') throw new ScheduleSyntaxError(`has ${JSON.stringify(item)}`);
    const by = step === undefined ? 1 : Number(step);
    if (!/^\d*$/.test(step ?? '') || !(by >= 1)) {
      throw new ScheduleSyntaxError(
        `has the step ${JSON.stringify(step)}, which is not a whole number above 0`,
      );
    }
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [start = '', end = '', ...more] = range.split('-');
      if (more.length > 0) throw new ScheduleSyntaxError(`has ${JSON.stringify(item)}`);
      [from, to] = [value(start), value(end)];
      if (from > to)
        throw new ScheduleSyntaxError(`has the range ${JSON.stringify(range)}, which runs backwards`);
    } else [from, to] = [value(range), step === undefined ? value(range) : max];
    for (let number = from; number <= to; number += by) values.add(number);
  }
  return values;
}

/** The day-of-month rule: numbers, `L`, `L-n`, `LW` and `nW`, in a list. */
function dayOfMonthRule(field: string): DayRule {
  const rules = field.split(',').map((item): DayRule => {
    const upper = item.toUpperCase();
    if (upper === 'L') return ({ day, daysInMonth }) => day === daysInMonth;
    if (upper === 'LW')
      return ({ day, daysInMonth, weekday }) => day === lastWeekday(daysInMonth, day, weekday);
    const beforeLast = /^L-(\d+)$/.exec(upper);
    if (beforeLast) {
      const offset = Number(beforeLast[1]);
      if (offset > 30) throw new ScheduleSyntaxError(`has ${JSON.stringify(item)}, beyond the month`);
      return ({ day, daysInMonth }) => day === daysInMonth - offset;
    }
    const nearWeekday = /^(\d+)W$/.exec(upper);
    if (nearWeekday) {
      const target = [...numbers(nearWeekday[1] ?? '', 1, 31)][0] as number;
      return ({ day, daysInMonth, weekday }) => day === nearestWeekday(target, daysInMonth, day, weekday);
    }
    const days = numbers(item, 1, 31);
    return ({ day }) => days.has(day);
  });
  return (day) => rules.some((rule) => rule(day));
}

/** The day-of-week rule: days 1-7 or SUN-SAT, ranges, `L` (Saturday), `nL` and `n#k`, in a list. */
function dayOfWeekRule(field: string): DayRule {
  const weekday = (text: string) => [...numbers(text, 1, 7, WEEKDAYS)][0] as number;
  const rules = field.split(',').map((item): DayRule => {
    const upper = item.toUpperCase();
    if (upper === 'L') return (day) => day.weekday === SATURDAY;
    const last = /^(\w+)L$/.exec(upper);
    if (last) {
      const target = weekday(last[1] ?? '');
      return (day) => day.weekday === target && day.day + 7 > day.daysInMonth;
    }
    const nth = /^(\w+)#(\d+)$/.exec(upper);
    if (nth) {
      const target = weekday(nth[1] ?? '');
      const occurrence = [...numbers(nth[2] ?? '', 1, 5)][0] as number;
      return (day) => day.weekday === target && Math.ceil(day.day / 7) === occurrence;
    }
    const days = numbers(item, 1, 7, WEEKDAYS);
    return (day) => days.has(day.weekday);
  });
  return (day) => rules.some((rule) => rule(day));
}

/** The weekday (Monday-Friday) nearest the `target`th of the month, never in another month. */
function nearestWeekday(target: number, daysInMonth: number, day: number, weekday: number): number | null {
  if (target > daysInMonth) return null;
  const targetWeekday = ((((weekday - 1 + target - day) % 7) + 7) % 7) + 1;
  if (targetWeekday === SATURDAY) return target === 1 ? 3 : target - 1;
  if (targetWeekday === 1) return target === daysInMonth ? target - 2 : target + 1;
  return target;
}

/** The last Monday-Friday of the month. */
function lastWeekday(daysInMonth: number, day: number, weekday: number): number {
  const lastWeekdayOfWeek = ((((weekday - 1 + daysInMonth - day) % 7) + 7) % 7) + 1;
  if (lastWeekdayOfWeek === SATURDAY) return daysInMonth - 1;
  if (lastWeekdayOfWeek === 1) return daysInMonth - 2;
  return daysInMonth;
}

function parseCron(body: string): Cron {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleSyntaxError('needs 6 fields');
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  const inField = <T>(name: string, parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ScheduleSyntaxError) {
        throw new ScheduleSyntaxError(
          `${name} ${JSON.stringify(fields[FIELD_NAMES.indexOf(name)])} ${error.message}`,
        );
      }
      throw error;
    }
  };
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new ScheduleSyntaxError('needs ? in exactly one of day-of-month and day-of-week');
  }
  const minuteSet = inField('minutes', () => numbers(minutes, 0, 59));
  const hourSet = inField('hours', () => numbers(hours, 0, 23));
  const times = [...hourSet].flatMap((hour) => [...minuteSet].map((minute) => hour * 60 + minute));
  return {
    times: times.sort((a, b) => a - b),
    months: inField('month', () => numbers(month, 1, 12, MONTHS)),
    years: [...inField('year', () => numbers(year, FIRST_YEAR, LAST_YEAR))].sort((a, b) => a - b),
    day:
      dayOfMonth === '?'
        ? inField('day-of-week', () => dayOfWeekRule(dayOfWeek))
        : inField('day-of-month', () => dayOfMonthRule(dayOfMonth)),
  };
}

const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'];

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of every day the cron runs on, ascending. */
function* runDays(cron: Cron): Generator<number> {
  for (const year of cron.years) {
    for (let month = 1; month <= 12; month++) {
      if (!cron.months.has(month)) continue;
      const first = Date.UTC(year, month - 1, 1) / DAY_MS;
      const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
      // 1970-01-01 was a Thursday: weekday 5 in EventBridge's numbering.
      const firstWeekday = ((((first + 4) % 7) + 7) % 7) + 1;
      for (let day = 1; day <= daysInMonth; day++) {
        const weekday = ((firstWeekday - 1 + day - 1) % 7) + 1;
        if (cron.day({ day, daysInMonth, weekday })) yield first + day - 1;
      }
    }
  }
}

function parse(expression: string): { rateMinutes: number } | { cron: Cron } {
  const rate = RATE.exec(expression);
  if (rate) {
    const minutes = Number(rate[1]) * (RATE_UNIT_MINUTES[rate[2] ?? ''] ?? Number.NaN);
    if (!(minutes >= 1)) throw new ScheduleSyntaxError('must run at least every 1 minute');
    return { rateMinutes: minutes };
  }
  const cron = CRON.exec(expression);
  if (cron) return { cron: parseCron(cron[1] ?? '') };
  throw new ScheduleSyntaxError('is neither rate(...) nor cron(...)');
}

function scheduleError(expression: string, error: unknown): never {
  if (error instanceof ScheduleSyntaxError) {
    throw new ConfigError('schedule', expression, `is not a schedule EventBridge accepts: ${error.message}`);
  }
  throw error;
}

/**
 * The runs of a cron schedule from `from` (inclusive) on, at most `count` of them, as Dates (UTC). For a rate,
 * the runs are every N units from `from`.
 */
export function scheduleRuns(expression: string, from: Date, count: number): Date[] {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(expression);
  } catch (error) {
    scheduleError(expression, error);
  }
  const runs: Date[] = [];
  if ('rateMinutes' in parsed) {
    for (let index = 0; index < count; index++)
      runs.push(new Date(from.getTime() + index * parsed.rateMinutes * 60_000));
    return runs;
  }
  const start = from.getTime();
  for (const day of runDays(parsed.cron)) {
    if ((day + 1) * DAY_MS <= start) continue;
    for (const time of parsed.cron.times) {
      const at = day * DAY_MS + time * 60_000;
      if (at < start) continue;
      runs.push(new Date(at));
      if (runs.length === count) return runs;
    }
  }
  return runs;
}

/**
 * The longest time, in minutes, between two consecutive runs of an EventBridge schedule expression (already
 * checked for its shape by the stack's configuration). A cron that never runs, or runs only once, is refused.
 */
export function longestScheduleGapMinutes(expression: string): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(expression);
  } catch (error) {
    scheduleError(expression, error);
  }
  if ('rateMinutes' in parsed) return parsed.rateMinutes;
  const { times } = parsed.cron;
  const firstTime = times[0] as number;
  const lastTime = times[times.length - 1] as number;
  let longest = 0;
  for (let index = 1; index < times.length; index++) {
    longest = Math.max(longest, (times[index] as number) - (times[index - 1] as number));
  }
  let previousDay: number | null = null;
  let runs = 0;
  for (const day of runDays(parsed.cron)) {
    if (previousDay !== null) {
      longest = Math.max(longest, (day - previousDay) * MINUTES_PER_DAY - lastTime + firstTime);
    }
    previousDay = day;
    runs += times.length;
  }
  if (runs === 0) throw new ConfigError('schedule', expression, 'never runs: no day matches it');
  if (runs === 1) throw new ConfigError('schedule', expression, 'runs only once');
  return longest;
}
