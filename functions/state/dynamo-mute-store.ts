/**
 * Mutes in the state table, beside the certificates they silence: one item per muted order or duplicate, kept
 * after the mute ends (for `mutes`) until DynamoDB's TTL removes it `RETAIN_ENDED_MUTE_DAYS` later. A new mute
 * of the same order or certificate replaces the one before.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { epochDay } from '../core/levels.ts';
import { type Mute, muteEnd, muteKey, muteStatus } from '../core/mutes.ts';
import type { MuteStore } from '../core/ports.ts';
import { factsKey } from './dynamo-state-store.ts';
import { isMuteItem, MUTE_PREFIX, parseMuteItem } from './mute-item.ts';
import { parseOrderFacts } from './order-facts-item.ts';

/** What the state knows of an order, for a mute that names it. */
export interface OrderKnowledge {
  /** An announcement or remembered facts of the order. */
  order: boolean;
  /** The duplicate ids of its remembered listing, or null when none is remembered. */
  duplicateIds: number[] | null;
}

/** How long an ended mute stays listed by `mutes`. */
export const RETAIN_ENDED_MUTE_DAYS = 90;
const DAY_SECONDS = 86_400;

/** Epoch seconds for DynamoDB's TTL: `RETAIN_ENDED_MUTE_DAYS` after the mute ends. */
const expiresAt = (mute: Mute): number =>
  ((epochDay(muteEnd(mute)) ?? 0) + RETAIN_ENDED_MUTE_DAYS) * DAY_SECONDS;

export class DynamoMuteStore implements MuteStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putMute(mute: Mute): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          certKey: muteKey(mute.orderId, mute.certificateId),
          orderId: mute.orderId,
          mute,
          expiresAt: expiresAt(mute),
        },
      }),
    );
  }

  async endMute(
    orderId: number,
    certificateId: number | null,
    at: Date,
    endedBy: string,
  ): Promise<Mute | null> {
    const certKey = muteKey(orderId, certificateId);
    const found = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { certKey }, ConsistentRead: true }),
    );
    if (!found.Item) return null;
    const mute = parseMuteItem(found.Item);
    if (muteStatus(mute, at) !== 'active') return null;
    const ended: Mute = { ...mute, endedAt: at.toISOString(), endedBy };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { certKey },
          UpdateExpression: 'SET #mute.endedAt = :endedAt, #mute.endedBy = :endedBy, expiresAt = :expiresAt',
          ConditionExpression: '#mute.createdAt = :createdAt',
          ExpressionAttributeNames: { '#mute': 'mute' },
          ExpressionAttributeValues: {
            ':endedAt': ended.endedAt,
            ':endedBy': endedBy,
            ':expiresAt': expiresAt(ended),
            ':createdAt': mute.createdAt,
          },
        }),
      );
    } catch (error) {
      // Replaced by a new mute in the meantime: that one is not the one asked to end.
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
    return ended;
  }

  /** Two items read: the order's own certificate (`order#…`) and its facts (`facts#…`). */
  async knowledgeOf(orderId: number): Promise<OrderKnowledge> {
    const get = (certKey: string) =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { certKey }, ConsistentRead: true }));
    const [own, facts] = await Promise.all([get(`order#${orderId}`), get(factsKey(orderId))]);
    const listing = facts.Item ? parseOrderFacts(facts.Item).duplicates : null;
    return {
      order: own.Item !== undefined || facts.Item !== undefined,
      duplicateIds: listing ? listing.certificates.map((certificate) => certificate.id) : null,
    };
  }

  async mutes(): Promise<Mute[]> {
    const mutes: Mute[] = [];
    const pages = paginateScan(
      { client: this.doc },
      {
        TableName: this.tableName,
        FilterExpression: 'begins_with(certKey, :prefix)',
        ExpressionAttributeValues: { ':prefix': MUTE_PREFIX },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) if (isMuteItem(item)) mutes.push(parseMuteItem(item));
    }
    return mutes;
  }
}
