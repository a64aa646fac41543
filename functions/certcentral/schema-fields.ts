import { z } from 'zod';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const POSITIVE_INTEGER = /^[1-9]\d*$/;
const SHOWN_VALUE_MAX = 60;

/** A real `yyyy-MM-dd` date: `2026-02-30` and `2026-13-45` are not. */
export function isCalendarDate(value: string): boolean {
  const match = CALENDAR_DATE.exec(value);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isPositiveIntegerText(value: string): boolean {
  return POSITIVE_INTEGER.test(value);
}

export const calendarDate = z.string().refine(isCalendarDate, { error: 'is not a yyyy-MM-dd date' });

/** An id as CertCentral sends it: a number, or the same number as a string. */
export const positiveId = z.union(
  [z.number().int().positive(), z.string().regex(POSITIVE_INTEGER).transform(Number)],
  { error: 'is not a positive integer' },
);

/** Every problem zod found, each naming the field and the value: `valid_till: "2026-13-45" is not a yyyy-MM-dd date`. */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues.map((issue) => describeIssue(issue, input)).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const field = issue.path.length === 0 ? 'value' : issue.path.map(String).join('.');
  const value = valueAt(input, issue.path);
  if (value === undefined) {
    return `${field} is missing`;
  }
  const reason =
    issue.code === 'invalid_type' ? `is not a${article(issue.expected)} ${issue.expected}` : issue.message;
  return `${field}: ${show(value)} ${reason}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'n' : '';
}

function show(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > SHOWN_VALUE_MAX ? `${shown.slice(0, SHOWN_VALUE_MAX)}…` : shown;
}
