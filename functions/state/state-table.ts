/**
 * The state table's schema, and creating it when it is missing (the local command, `--dynamodb-endpoint`).
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

export const STATE_PARTITION_KEY = 'certKey';
export const STATE_TTL_ATTRIBUTE = 'expiresAt';

const MAX_WAIT_SECONDS = 120;

/** The table exists but is keyed differently, so it is not a state table. */
export class StateTableMismatchError extends Error {
  override readonly name = 'StateTableMismatchError';
  constructor(
    readonly tableName: string,
    readonly keySchema: string,
  ) {
    super(
      `DynamoDB table ${JSON.stringify(tableName)} is keyed by ${keySchema}, not by the partition key ${STATE_PARTITION_KEY} (S) a state table needs`,
    );
  }
}

/** Creates the table (on-demand billing) unless it exists, and returns once it is ACTIVE. Safe to race. */
export async function ensureStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const existing = await describe(client, tableName);
  if (existing) {
    checkKeySchema(tableName, existing);
    if (existing.Table?.TableStatus === 'ACTIVE') return;
  } else {
    await create(client, tableName);
  }
  await waitUntilTableExists(
    { client, maxWaitTime: MAX_WAIT_SECONDS, minDelay: 0.05, maxDelay: 5 },
    { TableName: tableName },
  );
}

/** A table that must already exist (a deployed stack's): throws `ResourceNotFoundException` when it does not. */
export async function checkStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  checkKeySchema(tableName, await client.send(new DescribeTableCommand({ TableName: tableName })));
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

async function create(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: STATE_PARTITION_KEY, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: STATE_PARTITION_KEY, KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

function checkKeySchema(tableName: string, described: DescribeTableCommandOutput): void {
  const keys = described.Table?.KeySchema ?? [];
  const types = described.Table?.AttributeDefinitions ?? [];
  const typeOf = (name: string | undefined) =>
    types.find((type) => type.AttributeName === name)?.AttributeType;
  const [only] = keys;
  const matches =
    keys.length === 1 &&
    only?.AttributeName === STATE_PARTITION_KEY &&
    only.KeyType === 'HASH' &&
    typeOf(only.AttributeName) === 'S';
  if (!matches) {
    const shown = keys.map((key) => `${key.AttributeName} (${key.KeyType}, ${typeOf(key.AttributeName)})`);
    throw new StateTableMismatchError(tableName, shown.join(', ') || 'nothing');
  }
}
