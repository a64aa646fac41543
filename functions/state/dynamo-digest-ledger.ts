/**
 * The DigestLedger on DynamoDB, for the Lambda functions: alert workers record the events of a flood, the scan
 * opens the digest, the digest function reads it back once the work queue has drained.
 *
 * One table keyed `pk`/`sk`: an event is `scan#<scannedAt>` / its certificate key (a redelivered message
 * overwrites its own item, so a retry never lists a certificate twice); an open digest is `open` /
 * `<scannedAt>`. Every item expires by TTL; closing a digest deletes only its `open` item.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { type DigestLedger, type OpenDigest, type RecordedEvent, RoutedDigests } from '../core/digest.ts';
import type { AlertDigest, NotificationEvent } from '../core/model.ts';
import type { RouteFilter } from '../core/routes.ts';

export const DIGEST_PARTITION_KEY = 'pk';
export const DIGEST_SORT_KEY = 'sk';
export const DIGEST_TTL_ATTRIBUTE = 'expiresAt';

const OPEN = 'open';
const DAY_SECONDS = 86_400;

export interface DynamoDigestLedgerOptions {
  /** How long the table keeps a digest's items. Default 14 days: long after any digest is delivered. */
  retainDays?: number;
  /** Items per Query page; DynamoDB's 1 MB pages when absent. */
  pageSize?: number;
  clock?: () => Date;
  /**
   * The routes whose digests `digests` builds, each of the events its filters match (the digest function's);
   * null (default): one digest of every event.
   */
  routes?: readonly RouteFilter[] | null;
}

/** An item of the digest table that does not hold what the ledger writes. */
export class CorruptDigestItemError extends Error {
  override readonly name = 'CorruptDigestItemError';
  constructor(pk: string, sk: unknown, field: string) {
    super(`digest item ${JSON.stringify(pk)}/${JSON.stringify(sk)}: ${field} is not valid`);
  }
}

const scanKey = (scannedAt: string) => `scan#${scannedAt}`;

export class DynamoDigestLedger implements DigestLedger {
  private readonly retainSeconds: number;
  private readonly pageSize: number | undefined;
  private readonly clock: () => Date;
  private readonly routes: readonly RouteFilter[] | null;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDigestLedgerOptions = {},
  ) {
    this.retainSeconds = (options.retainDays ?? 14) * DAY_SECONDS;
    this.pageSize = options.pageSize;
    this.clock = options.clock ?? (() => new Date());
    this.routes = options.routes ?? null;
  }

  async record(scannedAt: string, events: readonly RecordedEvent[]): Promise<void> {
    for (const { certKey, event } of events) {
      await this.put({ pk: scanKey(scannedAt), sk: certKey, event: JSON.stringify(event) });
    }
  }

  async open(scannedAt: string, now: Date): Promise<void> {
    await this.put({ pk: OPEN, sk: scannedAt, openedAt: now.toISOString() });
  }

  async openDigests(): Promise<OpenDigest[]> {
    const open: OpenDigest[] = [];
    for await (const item of this.query(OPEN)) {
      const { sk, openedAt } = item;
      if (typeof sk !== 'string' || typeof openedAt !== 'string' || Number.isNaN(Date.parse(openedAt))) {
        throw new CorruptDigestItemError(OPEN, sk, 'openedAt');
      }
      open.push({ scannedAt: sk, openedAt });
    }
    return open.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  /** One pass over the scan's events, whatever the number of routes. */
  async digests(scannedAt: string): Promise<AlertDigest[]> {
    const builder = new RoutedDigests(this.routes);
    for await (const item of this.query(scanKey(scannedAt))) builder.add(toEvent(scanKey(scannedAt), item));
    return builder.build(scannedAt);
  }

  /**
   * Takes a certificate's event out of a scan's digest, when `matches` it (all events by default): the local
   * command forgets the event of a claim it gives back, whose alert the next attempt sends and lists again.
   * Resolves to whether an event was taken out.
   */
  async forget(
    scannedAt: string,
    certKey: string,
    matches: (event: NotificationEvent) => boolean = () => true,
  ): Promise<boolean> {
    const key = { [DIGEST_PARTITION_KEY]: scanKey(scannedAt), [DIGEST_SORT_KEY]: certKey };
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    if (!Item || !matches(toEvent(scanKey(scannedAt), Item))) return false;
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    return true;
  }

  async close(scannedAt: string): Promise<void> {
    await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { [DIGEST_PARTITION_KEY]: OPEN, [DIGEST_SORT_KEY]: scannedAt },
      }),
    );
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    const expiresAt = Math.floor(this.clock().getTime() / 1000) + this.retainSeconds;
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { ...item, [DIGEST_TTL_ATTRIBUTE]: expiresAt } }),
    );
  }

  private async *query(pk: string): AsyncGenerator<Record<string, unknown>> {
    const pages = paginateQuery(
      { client: this.doc, ...(this.pageSize ? { pageSize: this.pageSize } : {}) },
      {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': DIGEST_PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) yield* page.Items ?? [];
  }
}

function toEvent(pk: string, item: Record<string, unknown>): NotificationEvent {
  const { sk, event } = item;
  if (typeof event !== 'string') throw new CorruptDigestItemError(pk, sk, 'event');
  let parsed: unknown;
  try {
    parsed = JSON.parse(event);
  } catch {
    throw new CorruptDigestItemError(pk, sk, 'event');
  }
  const candidate = parsed as Partial<NotificationEvent> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.orderId !== 'number' ||
    typeof candidate.daysRemaining !== 'number' ||
    typeof candidate.commonName !== 'string' ||
    typeof candidate.container !== 'string' ||
    typeof candidate.organization !== 'string' ||
    typeof candidate.product?.nameId !== 'string' ||
    typeof candidate.product?.type !== 'string' ||
    !['critical', 'warning', 'info'].includes(candidate.severity as string)
  ) {
    throw new CorruptDigestItemError(pk, sk, 'event');
  }
  return candidate as NotificationEvent;
}
