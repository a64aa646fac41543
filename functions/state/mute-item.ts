/**
 * A mute as the state table holds it: `mute#<orderId>` (the order and its duplicates) or
 * `mute#<orderId>#<certificateId>` (one duplicate), the mute itself in the map attribute `mute`. Read back with
 * every field checked: a corrupt item names itself and its field.
 */
import { z } from 'zod';
import { isIsoDate } from '../core/levels.ts';
import type { Mute } from '../core/mutes.ts';

export const MUTE_PREFIX = 'mute#';

const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)));

const muteItem = z.object({
  certKey: z.string().startsWith(MUTE_PREFIX),
  mute: z.object({
    orderId: z.number().int().positive(),
    certificateId: z.number().int().positive().nullable(),
    until: z.string().refine(isIsoDate),
    reason: z.string(),
    by: z.string(),
    createdAt: instant,
    endedAt: instant.nullable(),
    endedBy: z.string().nullable(),
  }),
});

export class CorruptMuteItemError extends Error {
  override readonly name = 'CorruptMuteItemError';
  constructor(certKey: unknown, field: string) {
    super(`state item ${JSON.stringify(certKey)}: ${field} is not valid`);
  }
}

export const isMuteItem = (item: Record<string, unknown>): boolean =>
  typeof item.certKey === 'string' && item.certKey.startsWith(MUTE_PREFIX);

export function parseMuteItem(item: Record<string, unknown>): Mute {
  const parsed = muteItem.safeParse(item);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.map(String).join('.') || 'the item';
    throw new CorruptMuteItemError(item.certKey, field);
  }
  return parsed.data.mute;
}
