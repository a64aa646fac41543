/** Calendar arithmetic on `yyyy-MM-dd` UTC dates, kept apart from the app's so that tests check it independently. */
import { SimulatorInputError } from './errors.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Conversions already made: a generated account uses a few thousand dates, each many times over. */
const epochDays = new Map<string, number>();
const dates = new Map<number, string>();

/** Days since 1970-01-01 of a `yyyy-MM-dd` date; throws naming `field` when it is not a real date. */
export function toEpochDay(date: string, field: string): number {
  const known = epochDays.get(date);
  if (known !== undefined) return known;
  const match = ISO_DATE.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new SimulatorInputError(`${field}: ${JSON.stringify(date)} is not a yyyy-MM-dd date`);
  }
  epochDays.set(date, ms / DAY_MS);
  return ms / DAY_MS;
}

export function fromEpochDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  return date;
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date, 'date') + days);
}

/** The UTC calendar date of an instant. */
export function utcDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** `to - from` in whole days. */
export function daysBetween(from: string, to: string): number {
  return toEpochDay(to, 'date') - toEpochDay(from, 'date');
}

/** `yyyy-MM-dd HH:mm:ss` (UTC, as the report writes it) to ISO 8601 as the JSON endpoints write it. */
export function isoTimestamp(reportTimestamp: string): string {
  return `${reportTimestamp.replace(' ', 'T')}+00:00`;
}
