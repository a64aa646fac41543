/**
 * DynamoDB clients for the state store: AWS's default chain in Lambda, dummy credentials for a local server.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Without an endpoint: AWS, with region and credentials from the environment. A localhost endpoint (dynalite,
 * DynamoDB Local) gets dummy credentials and region `local` unless one is given.
 */
export function createDynamoClients(options: { endpoint?: string; region?: string }): DynamoClients {
  const { endpoint, region } = options;
  const local = endpoint !== undefined && LOCAL_HOSTS.has(new URL(endpoint).hostname);
  const client = new DynamoDBClient({
    endpoint,
    region: region ?? (local ? 'local' : undefined),
    credentials: local ? LOCAL_CREDENTIALS : undefined,
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
}
