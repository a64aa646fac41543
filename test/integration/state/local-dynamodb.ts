import { randomUUID } from 'node:crypto';
import { createDynamoClients, type DynamoClients } from '../../../functions/state/dynamo-clients.ts';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../../functions/state/embedded-dynamodb.ts';
import { ensureStateTable } from '../../../functions/state/state-table.ts';

/** An in-memory dynalite with clients, for one test file. */
export interface LocalDynamoDB extends DynamoClients {
  /** A new, empty state table, so that each test starts from nothing. */
  freshTable(): Promise<string>;
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
    close: async () => {
      clients.client.destroy();
      await embedded.close();
    },
  };
}
