/**
 * An order's facts as the state table holds them (`facts#<orderId>`: the detail's answer and the duplicates
 * listing, as DynamoDB maps), read back with every field checked: a corrupt item names itself and its field.
 */
import { z } from 'zod';
import { isIsoDate } from '../core/levels.ts';
import type { OrderFacts } from '../core/model.ts';

const date = z.string().refine(isIsoDate);
const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)));

const plan = z.object({
  multiYear: z.boolean(),
  orderValidTill: date.nullable(),
  autoRenew: z.number().int().min(0),
  autoReissue: z.boolean(),
});

const factsItem = z.object({
  certKey: z.string(),
  orderId: z.number().int().positive(),
  detail: z
    .object({ fingerprint: z.string(), status: z.string().min(1), checkedAt: instant, plan })
    .nullish()
    .transform((value) => value ?? null),
  duplicates: z
    .object({
      fingerprint: z.string(),
      listedAt: instant,
      certificates: z.array(
        z.object({
          id: z.number().int().positive(),
          status: z.string(),
          commonName: z.string(),
          validFrom: date.nullable(),
          validTill: date.nullable(),
        }),
      ),
    })
    .nullish()
    .transform((value) => value ?? null),
  subaccount: z
    .object({ accountId: z.number().int().positive(), organizationName: z.string() })
    .nullish()
    .transform((value) => value ?? null),
});

/** An item of the state table that does not hold what the store writes. */
export class CorruptFactsItemError extends Error {
  override readonly name = 'CorruptFactsItemError';
  constructor(certKey: unknown, field: string) {
    super(`state item ${JSON.stringify(certKey)}: ${field} is not valid`);
  }
}

export function parseOrderFacts(item: Record<string, unknown>): OrderFacts {
  const parsed = factsItem.safeParse(item);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') || 'the item';
    throw new CorruptFactsItemError(item.certKey, field);
  }
  const { orderId, detail, duplicates, subaccount } = parsed.data;
  return subaccount === null ? { orderId, detail, duplicates } : { orderId, detail, duplicates, subaccount };
}
