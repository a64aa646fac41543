/** The SQS message body the alert function accepts: a `CandidateMessage`, checked field by field. */
import { z } from 'zod';
import type { CandidateMessage } from '../core/announce.ts';
import { isIsoDate } from '../core/levels.ts';

const isoDate = z.string().refine(isIsoDate, { message: 'is not a yyyy-MM-dd date' });
const level = z.union([z.number().int().min(0), z.literal('expired')]);
const renewal = z.object({ orderId: z.number().int().positive(), status: z.string() });
const severity = z.enum(['info', 'warning', 'critical']);

const reportOrder = z.object({
  orderId: z.number().int().positive(),
  status: z.string(),
  commonName: z.string(),
  dnsNames: z.array(z.string()),
  validTill: isoDate.nullable(),
  validFrom: isoDate.nullable(),
  fingerprint: z.string(),
  disableRenewalNotifications: z.boolean(),
  autoRenew: z.number().int().min(0),
  containerId: z.number().int().nullable(),
  containerName: z.string(),
  organizationName: z.string(),
  product: z.object({ nameId: z.string(), name: z.string(), type: z.string() }),
  isRenewed: z.boolean(),
  renewedOrderId: z.number().int().nullable(),
  hasDuplicates: z.boolean(),
  technicalContact: z
    .object({ role: z.enum(['technical', 'organization', 'requester']), name: z.string(), email: z.string() })
    .nullable(),
});

const plan = z.object({
  multiYear: z.boolean(),
  orderValidTill: isoDate.nullable(),
  autoRenew: z.number().int().min(0),
  autoReissue: z.boolean(),
});

const certKey = z.string().regex(/^(order|dup)#\d+$/);

const certState = z.object({
  certKey,
  orderId: z.number().int().positive(),
  validTill: isoDate.nullable(),
  announced: level.nullable(),
  announcedSeverity: severity.optional(),
  reportValidTill: isoDate.optional(),
});

/** Absent on an order nothing of which is muted. */
const muted = z
  .object({ wholeOrder: z.boolean(), certificateIds: z.array(z.number().int().positive()) })
  .optional();

const candidate = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alert'),
    order: reportOrder,
    due: z.array(z.object({ certKey, level, daysRemaining: z.number().int() })).min(1),
    renewal: renewal.nullable(),
    rememberedPlan: plan.nullable(),
    announced: z.array(certState),
    muted,
  }),
  z.object({
    kind: z.literal('duplicates'),
    order: reportOrder,
    reason: z.enum(['first', 'changed', 'refresh']),
    renewal: renewal.nullable(),
    announced: z.array(certState),
    muted,
  }),
  z.object({
    kind: z.literal('renewed'),
    order: reportOrder,
    certKey,
    announcedValidTill: isoDate,
    renewal,
    // Messages queued before renewed notices carried the last alert's severity read as info, as they were sent.
    severity: severity.default('info'),
  }),
]);

const candidateMessage = z.object({
  candidate,
  scannedAt: z.iso.datetime(),
  delivery: z.enum(['individual', 'digested']),
});

export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
}

export function parseCandidateMessage(body: string): CandidateMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidMessageError('message body is not JSON');
  }
  const parsed = candidateMessage.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidMessageError(
      `message field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
