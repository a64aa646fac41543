import { randomUUID } from 'node:crypto';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { createDynamoClients, type DynamoClients } from '../../../functions/state/dynamo-clients.ts';
import { DIGEST_PARTITION_KEY, DIGEST_SORT_KEY } from '../../../functions/state/dynamo-digest-ledger.ts';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../functions/state/embedded-dynamodb.ts';
import { ensureStateTable } from '../../../functions/state/state-table.ts';

/** An in-memory dynalite with clients, for one test file. */
export interface LocalDynamoDB extends DynamoClients {
  /** A new, empty state table, so that each test starts from nothing. */
  freshTable(): Promise<string>;
  /** A new, empty digest ledger table, keyed as the stack creates it. */
  freshDigestTable(): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalDynamoDB(): Promise<LocalDynamoDB> {
  const embedded: EmbeddedDynamoDB = await startEmbeddedDynamoDB();
  const clients = createDynamoClients({ endpoint: embedded.endpoint });
  return {
    ...clients,
    freshTable: async () => {
      const tableName = `state-${randomUUID()}`;
      await ensureStateTable(clients.client, tableName);
      return tableName;
    },
    freshDigestTable: async () => {
      const tableName = `digests-${randomUUID()}`;
      await clients.client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: DIGEST_PARTITION_KEY, AttributeType: 'S' },
            { AttributeName: DIGEST_SORT_KEY, AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: DIGEST_PARTITION_KEY, KeyType: 'HASH' },
            { AttributeName: DIGEST_SORT_KEY, KeyType: 'RANGE' },
          ],
        }),
      );
      await waitUntilTableExists(
        { client: clients.client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 1 },
        { TableName: tableName },
      );
      return tableName;
    },
    close: async () => {
      clients.client.destroy();
      await embedded.close();
    },
  };
}
