/**
 * The state table's schema and the digest table's, and creating them when they are missing (the local command:
 * the embedded store and `--dynamodb-endpoint`). The stack creates its own (`infra/`).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DescribeTableCommandOutput,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

import { DIGEST_PARTITION_KEY, DIGEST_SORT_KEY } from './dynamo-digest-ledger.ts';

export const STATE_PARTITION_KEY = 'certKey';
export const STATE_TTL_ATTRIBUTE = 'expiresAt';

const MAX_WAIT_SECONDS = 120;
/** DynamoDB's longest table name. */
const TABLE_NAME_MAX = 255;
const DIGEST_TABLE_SUFFIX = '-digest';

/** A table's key: a string partition key, and a string sort key for the digest table. */
interface TableKeys {
  /** `a state table`, for the error that refuses a table keyed otherwise. */
  kind: string;
  partitionKey: string;
  sortKey?: string;
}

const STATE_TABLE: TableKeys = { kind: 'a state table', partitionKey: STATE_PARTITION_KEY };
const DIGEST_TABLE: TableKeys = {
  kind: 'a digest table',
  partitionKey: DIGEST_PARTITION_KEY,
  sortKey: DIGEST_SORT_KEY,
};

/** The table exists but is keyed differently, so it is not the table the store needs. */
export class StateTableMismatchError extends Error {
  override readonly name = 'StateTableMismatchError';
  constructor(
    readonly tableName: string,
    readonly keySchema: string,
    expected: TableKeys = STATE_TABLE,
  ) {
    super(
      `DynamoDB table ${JSON.stringify(tableName)} is keyed by ${keySchema}, not by ${describeKeys(expected)} ${expected.kind} needs`,
    );
  }
}

/**
 * The digest table the local command keeps beside a state table: `<state table>-digest`. Null when that name
 * would be longer than DynamoDB allows.
 */
export function digestTableBeside(stateTable: string): string | null {
  const name = `${stateTable}${DIGEST_TABLE_SUFFIX}`;
  return name.length > TABLE_NAME_MAX ? null : name;
}

/** Creates the state table (on-demand billing) unless it exists; returns once it is ACTIVE. Safe to race. */
export function ensureStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  return ensureTable(client, tableName, STATE_TABLE);
}

/** Creates a digest table (keyed as the stack's: `pk`, `sk`) unless it exists. Safe to race. */
export function ensureDigestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  return ensureTable(client, tableName, DIGEST_TABLE);
}

async function ensureTable(client: DynamoDBClient, tableName: string, keys: TableKeys): Promise<void> {
  const existing = await describe(client, tableName);
  if (existing) {
    checkKeySchema(tableName, existing, keys);
    if (existing.Table?.TableStatus === 'ACTIVE') return;
  } else {
    await create(client, tableName, keys);
  }
  await waitUntilTableExists(
    { client, maxWaitTime: MAX_WAIT_SECONDS, minDelay: 0.05, maxDelay: 5 },
    { TableName: tableName },
  );
}

/** A table that must already exist (a deployed stack's): throws `ResourceNotFoundException` when it does not. */
export async function checkStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  checkKeySchema(
    tableName,
    await client.send(new DescribeTableCommand({ TableName: tableName })),
    STATE_TABLE,
  );
}

async function describe(
  client: DynamoDBClient,
  tableName: string,
): Promise<DescribeTableCommandOutput | null> {
  try {
    return await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return null;
    throw error;
  }
}

function keyList(keys: TableKeys): { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[] {
  return [
    { AttributeName: keys.partitionKey, KeyType: 'HASH' },
    ...(keys.sortKey ? [{ AttributeName: keys.sortKey, KeyType: 'RANGE' as const }] : []),
  ];
}

function describeKeys(keys: TableKeys): string {
  const partition = `the partition key ${keys.partitionKey} (S)`;
  return keys.sortKey ? `${partition} and the sort key ${keys.sortKey} (S)` : partition;
}

async function create(client: DynamoDBClient, tableName: string, keys: TableKeys): Promise<void> {
  const keySchema = keyList(keys);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keySchema.map(({ AttributeName }) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: keySchema,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

function checkKeySchema(tableName: string, described: DescribeTableCommandOutput, expected: TableKeys): void {
  const keys = described.Table?.KeySchema ?? [];
  const types = described.Table?.AttributeDefinitions ?? [];
  const typeOf = (name: string | undefined) =>
    types.find((type) => type.AttributeName === name)?.AttributeType;
  const wanted = keyList(expected);
  const matches =
    keys.length === wanted.length &&
    wanted.every(
      (key, index) =>
        keys[index]?.AttributeName === key.AttributeName &&
        keys[index]?.KeyType === key.KeyType &&
        typeOf(key.AttributeName) === 'S',
    );
  if (!matches) {
    const shown = keys.map((key) => `${key.AttributeName} (${key.KeyType}, ${typeOf(key.AttributeName)})`);
    throw new StateTableMismatchError(tableName, shown.join(', ') || 'nothing', expected);
  }
}
