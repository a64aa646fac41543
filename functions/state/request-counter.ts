/** Counts the DynamoDB requests a client sends, by operation (retries of one request count once). */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set([
  'ScanCommand',
  'QueryCommand',
  'GetItemCommand',
  'BatchGetItemCommand',
  'DescribeTableCommand',
]);

export interface DynamoRequestCounts {
  reads: number;
  writes: number;
  byOperation: Record<string, number>;
}

export function countRequests(client: DynamoDBClient): () => DynamoRequestCounts {
  const byOperation: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = context.commandName ?? 'unknown';
      byOperation[operation] = (byOperation[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'expiryAlertsRequestCounter' },
  );
  return () => {
    let reads = 0;
    let writes = 0;
    for (const [operation, count] of Object.entries(byOperation)) {
      if (READS.has(operation)) reads += count;
      else writes += count;
    }
    return { reads, writes, byOperation: { ...byOperation } };
  };
}
