/**
 * The StateStore on DynamoDB: one item per certificate, and a conditional write per claim so that concurrent
 * scans and retried messages announce each level exactly once.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  paginateScan,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConfigError, DEFAULT_EXPIRED_LOOKBACK_DAYS } from '../core/config.ts';
import { epochDay, levelRank } from '../core/levels.ts';
import type {
  AlertLevel,
  CertState,
  DetailFact,
  DuplicatesFact,
  OrderFacts,
  Severity,
  StateSnapshot,
  Subaccount,
} from '../core/model.ts';
import type { Mute } from '../core/mutes.ts';
import type { Claim, ClaimRequest, StateStore } from '../core/ports.ts';
import { isMuteItem, parseMuteItem } from './mute-item.ts';
import { parseOrderFacts } from './order-facts-item.ts';

import { stateRetentionDays } from './state-retention.ts';

export interface DynamoStateStoreOptions {
  /** How long a claim blocks other scans before it may be taken over. Default 900. */
  claimLeaseSeconds?: number;
  /**
   * How long an item outlives its certificate's `valid_till` before DynamoDB's TTL removes it: at least the
   * expired look-back plus a margin (`stateRetentionDays`). Default: that of the default look-back, 60.
   */
  retainDaysAfterExpiry?: number;
  /** Parallel Scan segments for `loadAll`. Default 1. */
  scanSegments?: number;
  /** Items per Scan page; DynamoDB's 1 MB pages when absent. */
  scanPageSize?: number;
}

/**
 * A claim found in the table: taken at `claimedAt` (the claiming scan's clock) and neither marked sent nor
 * released since. While its scan runs it is a send in progress; once that scan has stopped, it is an alert
 * the scan may or may not have sent, and nobody else will send it until it is released (or its lease ends).
 */
export interface HeldClaim extends Claim {
  claimedAt: Date;
}

/** A claim or a claimed announcement that the store refuses to write. */
export class InvalidClaimError extends Error {
  override readonly name = 'InvalidClaimError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    reason: string,
  ) {
    super(`claim ${field}: ${JSON.stringify(value)} ${reason}`);
  }
}

/** An item of the state table that does not hold what the store writes. */
export class CorruptStateItemError extends Error {
  override readonly name = 'CorruptStateItemError';
  constructor(
    readonly certKey: unknown,
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`state item ${JSON.stringify(certKey)}: ${field} ${JSON.stringify(value)} is not valid`);
  }
}

const DAY_SECONDS = 86_400;
const EXPIRED_RANK = levelRank('expired');
const CLAIM_ATTRIBUTES = 'claimToken, claimKind, claimLevelRank, claimValidTill, claimedAt';
const NO_LIVE_CLAIM = '(attribute_not_exists(claimToken) OR claimedAt <= :leaseCutoff)';
const NOT_ANNOUNCED_AT_OR_TIGHTER =
  '(attribute_not_exists(announcedRank) OR validTill <> :validTill OR announcedRank > :rank)';
const ANNOUNCED_FOR_VALID_TILL = 'attribute_exists(announcedRank) AND validTill = :validTill';
const CLAIM_SET =
  'claimToken = :token, claimKind = :kind, claimValidTill = :validTill, claimedAt = :claimedAt, ' +
  'orderId = if_not_exists(orderId, :orderId), expiresAt = if_not_exists(expiresAt, :expiresAt), updatedAt = :updatedAt';

type Item = Record<string, unknown>;

/** The item of an order's facts (detail answer, duplicates listing): beside the certificates' items. */
const FACTS_PREFIX = 'facts#';
export const factsKey = (orderId: number): string => `${FACTS_PREFIX}${orderId}`;

export class DynamoStateStore implements StateStore {
  private readonly claimLeaseMs: number;
  private readonly retainDaysAfterExpiry: number;
  private readonly scanSegments: number;
  private readonly scanPageSize: number | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoStateStoreOptions = {},
  ) {
    this.claimLeaseMs = wholeNumber('claimLeaseSeconds', options.claimLeaseSeconds ?? 900, 1) * 1000;
    this.retainDaysAfterExpiry = wholeNumber(
      'retainDaysAfterExpiry',
      options.retainDaysAfterExpiry ?? stateRetentionDays(DEFAULT_EXPIRED_LOOKBACK_DAYS),
      0,
    );
    this.scanSegments = wholeNumber('scanSegments', options.scanSegments ?? 1, 1);
    this.scanPageSize =
      options.scanPageSize === undefined ? undefined : wholeNumber('scanPageSize', options.scanPageSize, 1);
  }

  async loadAll(): Promise<StateSnapshot> {
    const segments = Array.from({ length: this.scanSegments }, (_, segment) => this.scanSegment(segment));
    const certificates = new Map<string, CertState>();
    const orders = new Map<number, OrderFacts>();
    const mutes: Mute[] = [];
    for (const items of await Promise.all(segments)) {
      for (const item of items) {
        if (isMuteItem(item)) {
          mutes.push(parseMuteItem(item));
          continue;
        }
        if (typeof item.certKey === 'string' && item.certKey.startsWith(FACTS_PREFIX)) {
          const facts = parseOrderFacts(item);
          orders.set(facts.orderId, facts);
          continue;
        }
        const state = toCertState(item);
        certificates.set(state.certKey, state);
      }
    }
    return { certificates, orders, mutes };
  }

  async recordDetail(orderId: number, detail: DetailFact, keepUntil: string): Promise<void> {
    await this.recordFacts(orderId, 'detail', detail, keepUntil);
  }

  async recordDuplicates(orderId: number, listing: DuplicatesFact, keepUntil: string): Promise<void> {
    await this.recordFacts(orderId, 'duplicates', listing, keepUntil);
  }

  async recordSubaccount(orderId: number, subaccount: Subaccount, keepUntil: string): Promise<void> {
    await this.recordFacts(orderId, 'subaccount', subaccount, keepUntil);
  }

  private async recordFacts(
    orderId: number,
    field: 'detail' | 'duplicates' | 'subaccount',
    value: DetailFact | DuplicatesFact | Subaccount,
    keepUntil: string,
  ): Promise<void> {
    if (!Number.isSafeInteger(orderId) || orderId <= 0)
      throw new InvalidClaimError('orderId', orderId, 'is not an order id');
    if (epochDay(keepUntil) === null)
      throw new InvalidClaimError('keepUntil', keepUntil, 'is not a yyyy-MM-dd date');
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { certKey: factsKey(orderId) },
        UpdateExpression: 'SET #field = :value, orderId = :orderId, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#field': field },
        ExpressionAttributeValues: {
          ':value': value,
          ':orderId': orderId,
          ':expiresAt': this.expiresAt(keepUntil),
        },
      }),
    );
  }

  async claim(request: ClaimRequest, now: Date): Promise<Claim | null> {
    checkClaim(request);
    checkNow(now);
    const token = randomUUID();
    const values = {
      ':token': token,
      ':kind': request.kind,
      ':validTill': request.validTill,
      ':claimedAt': now.getTime(),
      ':leaseCutoff': now.getTime() - this.claimLeaseMs,
      ':orderId': request.orderId,
      ':expiresAt': this.expiresAt(request.validTill),
      ':updatedAt': now.toISOString(),
    };
    const command =
      request.level === null // a renewed notice (checkClaim)
        ? {
            UpdateExpression: `SET ${CLAIM_SET} REMOVE claimLevelRank`,
            ConditionExpression: `${ANNOUNCED_FOR_VALID_TILL} AND ${NO_LIVE_CLAIM}`,
            ExpressionAttributeValues: values,
          }
        : {
            UpdateExpression: `SET ${CLAIM_SET}, claimLevelRank = :rank`,
            ConditionExpression: `${NOT_ANNOUNCED_AT_OR_TIGHTER} AND ${NO_LIVE_CLAIM}`,
            ExpressionAttributeValues: { ...values, ':rank': levelRank(request.level) },
          };
    const written = await ifConditionHolds(
      this.doc.send(
        new UpdateCommand({ TableName: this.tableName, Key: { certKey: request.certKey }, ...command }),
      ),
    );
    return written ? { ...request, token } : null;
  }

  async markSent(claim: Claim, now: Date): Promise<void> {
    checkClaim(claim);
    checkNow(now);
    const key = { certKey: claim.certKey };
    if (claim.level === null) {
      await ifConditionHolds(
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: key,
            ConditionExpression: 'claimToken = :token',
            ExpressionAttributeValues: { ':token': claim.token },
          }),
        ),
      );
      return;
    }
    // Without the alert's severity (a claim from before it was kept), the renewed notice falls back to the level's.
    const severity = claim.severity ?? null;
    // Without the report's valid_till, the scan compares the report with the announced (detail's) valid_till.
    const reportValidTill = claim.reportValidTill ?? null;
    const removed = [
      ...(severity === null ? ['announcedSeverity'] : []),
      ...(reportValidTill === null ? ['reportValidTill'] : []),
    ];
    await ifConditionHolds(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            'SET validTill = :validTill, orderId = :orderId, announcedRank = :rank, announcedLevel = :level, ' +
            `${severity === null ? '' : 'announcedSeverity = :severity, '}` +
            `${reportValidTill === null ? '' : 'reportValidTill = :reportValidTill, '}` +
            `announcedAt = :now, expiresAt = :expiresAt, updatedAt = :now ` +
            `REMOVE ${[CLAIM_ATTRIBUTES, ...removed].join(', ')}`,
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: {
            ':token': claim.token,
            ':validTill': claim.validTill,
            ':orderId': claim.orderId,
            ':rank': levelRank(claim.level),
            ':level': claim.level,
            ...(severity === null ? {} : { ':severity': severity }),
            ...(reportValidTill === null ? {} : { ':reportValidTill': reportValidTill }),
            ':now': now.toISOString(),
            ':expiresAt': this.expiresAt(claim.validTill),
          },
        }),
      ),
    );
  }

  async release(claim: Claim): Promise<void> {
    await ifConditionHolds(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { certKey: claim.certKey },
          UpdateExpression: `REMOVE ${CLAIM_ATTRIBUTES}`,
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeValues: { ':token': claim.token },
        }),
      ),
    );
  }

  /** Every claim held in the table (a Scan of the whole table, filtered to the items that hold one). */
  async heldClaims(): Promise<HeldClaim[]> {
    const claims: HeldClaim[] = [];
    const pages = paginateScan(
      { client: this.doc, ...(this.scanPageSize === undefined ? {} : { pageSize: this.scanPageSize }) },
      {
        TableName: this.tableName,
        ProjectionExpression: `certKey, orderId, ${CLAIM_ATTRIBUTES}`,
        FilterExpression: 'attribute_exists(claimToken)',
        ConsistentRead: true,
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) claims.push(toHeldClaim(item));
    return claims;
  }

  private async scanSegment(segment: number): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateScan(
      { client: this.doc, ...(this.scanPageSize === undefined ? {} : { pageSize: this.scanPageSize }) },
      {
        TableName: this.tableName,
        ProjectionExpression:
          'certKey, orderId, validTill, announcedRank, announcedSeverity, reportValidTill, #detail, #duplicates, ' +
          '#subaccount, #mute',
        ExpressionAttributeNames: {
          '#detail': 'detail',
          '#duplicates': 'duplicates',
          '#subaccount': 'subaccount',
          '#mute': 'mute',
        },
        ConsistentRead: true,
        ...(this.scanSegments > 1 ? { Segment: segment, TotalSegments: this.scanSegments } : {}),
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  /** Epoch seconds, for DynamoDB's TTL. */
  private expiresAt(validTill: string): number {
    return ((epochDay(validTill) ?? 0) + this.retainDaysAfterExpiry) * DAY_SECONDS;
  }
}

function levelFromRank(rank: number): AlertLevel {
  return rank === EXPIRED_RANK ? 'expired' : rank;
}

async function ifConditionHolds(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** A `yyyy-MM-dd` calendar date. */
const isDay = (value: unknown): value is string => typeof value === 'string' && epochDay(value) !== null;

const SEVERITIES: readonly unknown[] = ['info', 'warning', 'critical'] satisfies Severity[];

function toCertState(item: Item): CertState {
  const { certKey, orderId, validTill, announcedRank, announcedSeverity, reportValidTill } = item;
  if (typeof certKey !== 'string') throw new CorruptStateItemError(certKey, 'certKey', certKey);
  if (!Number.isSafeInteger(orderId)) throw new CorruptStateItemError(certKey, 'orderId', orderId);
  if (announcedRank === undefined)
    return { certKey, orderId: orderId as number, validTill: null, announced: null };
  if (!isDay(validTill)) throw new CorruptStateItemError(certKey, 'validTill', validTill);
  if (!Number.isSafeInteger(announcedRank) || (announcedRank as number) < EXPIRED_RANK)
    throw new CorruptStateItemError(certKey, 'announcedRank', announcedRank);
  // Items announced before the severity was stored have none: the renewed notice falls back to the level's.
  if (announcedSeverity !== undefined && !SEVERITIES.includes(announcedSeverity))
    throw new CorruptStateItemError(certKey, 'announcedSeverity', announcedSeverity);
  // Items announced before the report's valid_till was stored have none: the scan compares with validTill.
  if (reportValidTill !== undefined && !isDay(reportValidTill))
    throw new CorruptStateItemError(certKey, 'reportValidTill', reportValidTill);
  return {
    certKey,
    orderId: orderId as number,
    validTill,
    announced: levelFromRank(announcedRank as number),
    ...(announcedSeverity === undefined ? {} : { announcedSeverity: announcedSeverity as Severity }),
    ...(reportValidTill === undefined ? {} : { reportValidTill }),
  };
}

function toHeldClaim(item: Item): HeldClaim {
  const { certKey, orderId, claimToken, claimKind, claimLevelRank, claimValidTill, claimedAt } = item;
  if (typeof certKey !== 'string') throw new CorruptStateItemError(certKey, 'certKey', certKey);
  if (typeof claimToken !== 'string') throw new CorruptStateItemError(certKey, 'claimToken', claimToken);
  if (typeof claimedAt !== 'number' || !Number.isFinite(claimedAt))
    throw new CorruptStateItemError(certKey, 'claimedAt', claimedAt);
  const level =
    claimKind === 'renewed' || claimLevelRank === undefined ? null : levelFromRank(claimLevelRank as number);
  const claim = {
    certKey,
    orderId: orderId as number,
    kind: claimKind as ClaimRequest['kind'],
    level,
    validTill: claimValidTill as string,
    token: claimToken,
  };
  try {
    checkClaim(claim);
  } catch (error) {
    if (!(error instanceof InvalidClaimError)) throw error;
    throw new CorruptStateItemError(certKey, error.field, error.value);
  }
  return { ...claim, claimedAt: new Date(claimedAt) };
}

function checkClaim(request: ClaimRequest): void {
  if (typeof request.certKey !== 'string' || request.certKey === '')
    throw new InvalidClaimError('certKey', request.certKey, 'is not a certificate key');
  if (!Number.isSafeInteger(request.orderId) || request.orderId <= 0)
    throw new InvalidClaimError('orderId', request.orderId, 'is not an order id');
  if (!isDay(request.validTill))
    throw new InvalidClaimError('validTill', request.validTill, 'is not a yyyy-MM-dd date');
  if (request.kind === 'renewed') {
    if (request.level !== null)
      throw new InvalidClaimError('level', request.level, 'must be null for a renewed notice');
    return;
  }
  if (request.kind !== 'alert')
    throw new InvalidClaimError('kind', request.kind, "is not 'alert' or 'renewed'");
  if (request.severity !== undefined && !SEVERITIES.includes(request.severity))
    throw new InvalidClaimError('severity', request.severity, 'is not info, warning or critical');
  if (request.reportValidTill !== undefined && !isDay(request.reportValidTill))
    throw new InvalidClaimError('reportValidTill', request.reportValidTill, 'is not a yyyy-MM-dd date');
  const { level } = request;
  if (level !== 'expired' && !(Number.isSafeInteger(level) && (level as number) >= 0))
    throw new InvalidClaimError('level', level, "is not a whole number of days or 'expired'");
}

function checkNow(now: Date): void {
  if (Number.isNaN(now.getTime())) throw new InvalidClaimError('now', String(now), 'is not a valid date');
}

function wholeNumber(setting: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new ConfigError(setting, value, `is not a whole number of at least ${min}`);
  return value;
}
