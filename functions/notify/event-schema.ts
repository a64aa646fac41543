/**
 * The messages the topic carries (DESIGN.md's notification event, or a digest of many), checked field by field
 * before anything is built from them. Unknown fields are dropped: the contract adds fields, never renames.
 */
import { z } from 'zod';
import { isIsoDate } from '../core/levels.ts';
import type { AlertDigest } from '../core/model.ts';
import type { WeeklySummary } from '../core/summary.ts';
import { CUTTABLE_TEXTS, type DeliveredEvent, type EventTruncation } from './event-fit.ts';

const isoDate = z.string().refine(isIsoDate, { message: 'not a yyyy-MM-dd date' });
const count = z.number().int().min(0);

/** Events published before `action` and `plan` were added lack them: read as a plain renewal, no plan. */
const plan = z
  .object({
    multiYear: z.boolean(),
    orderValidTill: isoDate.nullable(),
    autoRenew: count,
    autoReissue: z.boolean(),
  })
  .default({ multiYear: false, orderValidTill: null, autoRenew: 0, autoReissue: false });

const cutList = z.object({ originalCount: count });
const cutText = z.object({ originalLength: count });
/** What was cut to fit the channel (event-fit.ts): present only on a cut event. */
const truncation = z.object({
  dnsNames: cutList.optional(),
  contacts: cutList.optional(),
  ...Object.fromEntries(CUTTABLE_TEXTS.map((path) => [path, cutText.optional()])),
}) as z.ZodType<EventTruncation>;

const notificationEvent = z.object({
  type: z.enum(['certificate.expiring', 'certificate.expired', 'certificate.renewed']),
  orderId: z.number().int().positive(),
  certificateId: z.number().int().positive().nullable(),
  duplicate: z.boolean(),
  threshold: count.nullable(),
  daysRemaining: z.number().int(),
  validTill: isoDate,
  commonName: z.string(),
  dnsNames: z.array(z.string()),
  status: z.string(),
  product: z.object({ nameId: z.string(), name: z.string(), type: z.string() }),
  organization: z.string(),
  container: z.string(),
  subaccount: z.object({ accountId: z.number().int().positive(), organizationName: z.string() }).nullable(),
  renewal: z.object({ orderId: z.number().int().positive(), status: z.string() }).nullable(),
  contacts: z.array(
    z.object({
      role: z.enum(['technical', 'organization', 'requester']),
      name: z.string(),
      email: z.string(),
    }),
  ),
  severity: z.enum(['info', 'warning', 'critical']),
  action: z.enum(['renew', 'reissue']).default('renew'),
  plan,
  scannedAt: z.iso.datetime(),
  // Events published before links and test alerts lack these: no link, not a test.
  orderUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  test: z.boolean().default(false),
  truncated: truncation.optional(),
}) satisfies z.ZodType<DeliveredEvent>;

/** A digest may list fewer alerts than it counts (the SNS publisher keeps the most urgent that fit). */
const alertDigest = z
  .object({
    type: z.literal('digest'),
    scannedAt: z.iso.datetime(),
    // Digests published before routes: of every alert.
    route: z.string().nullable().default(null),
    total: count,
    bySeverity: z.object({ critical: count, warning: count, info: count }),
    alerts: z.array(notificationEvent),
  })
  .refine((digest) => digest.total >= digest.alerts.length, {
    path: ['total'],
    message: 'fewer than the alerts listed',
  }) satisfies z.ZodType<AlertDigest>;

const level = z.union([count, z.literal('expired')]);

const overviewRow = z.object({
  orderId: z.number().int().positive(),
  certificateId: z.number().int().positive().nullable(),
  duplicate: z.boolean(),
  commonName: z.string(),
  validTill: isoDate,
  daysRemaining: z.number().int(),
  severity: z.enum(['info', 'warning', 'critical']),
  lastAnnounced: level.nullable(),
  mute: z.object({ until: isoDate, reason: z.string(), by: z.string() }).nullable(),
  renewal: z.object({ orderId: z.number().int().positive(), status: z.string() }).nullable(),
  action: z.enum(['renew', 'reissue']),
  product: z.object({ nameId: z.string(), name: z.string(), type: z.string() }),
  organization: z.string(),
  container: z.string(),
  subaccount: z.object({ accountId: z.number().int().positive(), organizationName: z.string() }).nullable(),
});

/** The weekly summary: it may list fewer certificates than it counts (the SNS publisher keeps those that fit). */
const weeklySummary = z
  .object({
    type: z.literal('summary'),
    route: z.string().nullable(),
    scannedAt: z.iso.datetime(),
    withinDays: count,
    total: count,
    bySeverity: z.object({ critical: count, warning: count, info: count }),
    muted: count,
    certificates: z.array(overviewRow),
  })
  .refine((summary) => summary.total >= summary.certificates.length, {
    path: ['total'],
    message: 'fewer than the certificates listed',
  }) satisfies z.ZodType<WeeklySummary>;

export type SnsAlertMessage =
  | { kind: 'event'; event: DeliveredEvent }
  | { kind: 'digest'; digest: AlertDigest }
  | { kind: 'summary'; summary: WeeklySummary };

/** The message is not JSON, or a field of it does not hold what the contract says; the message names which. */
export class InvalidSnsMessageError extends Error {
  override readonly name = 'InvalidSnsMessageError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`SNS message${field === '' ? '' : ` field ${field}`} ${shown(value)}: ${reason}`);
  }
}

const SHOWN_MAX = 80;

function shown(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > SHOWN_MAX ? `${text.slice(0, SHOWN_MAX)}…` : text;
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function parsed<T>(schema: z.ZodType<T>, json: unknown): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  throw new InvalidSnsMessageError(
    path.map(String).join('.'),
    valueAt(json, path),
    issue?.message ?? 'not valid',
  );
}

/** An SNS message of the alert topic: a `NotificationEvent` or an `AlertDigest` (`type` tells which). */
export function parseSnsAlertMessage(message: string): SnsAlertMessage {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw new InvalidSnsMessageError('', message, 'not JSON');
  }
  const type = valueAt(json, ['type']);
  if (type === 'digest') return { kind: 'digest', digest: parsed(alertDigest, json) };
  if (type === 'summary') return { kind: 'summary', summary: parsed(weeklySummary, json) };
  if (typeof type === 'string' && type.startsWith('certificate.')) {
    return { kind: 'event', event: parsed(notificationEvent, json) };
  }
  throw new InvalidSnsMessageError('type', type, 'neither an alert (certificate.*), a digest nor a summary');
}
