import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  digestTableBeside,
  ensureDigestTable,
  ensureStateTable,
  StateTableMismatchError,
} from '../../../functions/state/state-table.ts';
import { type LocalDynamoDB, startLocalDynamoDB } from './local-dynamodb.ts';

let dynamo: LocalDynamoDB;

beforeAll(async () => {
  dynamo = await startLocalDynamoDB();
});
afterAll(async () => {
  await dynamo.close();
});

describe('ensureStateTable', () => {
  it('creates an on-demand table keyed by certKey and returns once it is active', async () => {
    await ensureStateTable(dynamo.client, 'created');

    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'created' }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'certKey', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('leaves an existing table and its items alone', async () => {
    await ensureStateTable(dynamo.client, 'kept');
    await dynamo.doc.send(new PutCommand({ TableName: 'kept', Item: { certKey: 'order#1', orderId: 1 } }));

    await ensureStateTable(dynamo.client, 'kept');

    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: 'kept', Key: { certKey: 'order#1' } }),
    );
    expect(Item).toEqual({ certKey: 'order#1', orderId: 1 });
  });

  it('lets several processes race to create the same table', async () => {
    await Promise.all(Array.from({ length: 5 }, () => ensureStateTable(dynamo.client, 'raced')));

    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'raced' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('refuses a table keyed by something else', async () => {
    await dynamo.client.send(
      new CreateTableCommand({
        TableName: 'other',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );

    const ensuring = ensureStateTable(dynamo.client, 'other');

    await expect(ensuring).rejects.toThrow(StateTableMismatchError);
    await expect(ensuring).rejects.toThrow('DynamoDB table "other" is keyed by id (HASH, N)');
  });
});

describe('ensureDigestTable', () => {
  it('creates a table keyed by pk and sk, as the stack does', async () => {
    await ensureDigestTable(dynamo.client, 'digest-created');
    await ensureDigestTable(dynamo.client, 'digest-created');

    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: 'digest-created' }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
  });

  it('refuses a state table in its place', async () => {
    await ensureStateTable(dynamo.client, 'state-not-digest');

    await expect(ensureDigestTable(dynamo.client, 'state-not-digest')).rejects.toThrow(
      'DynamoDB table "state-not-digest" is keyed by certKey (HASH, S), not by the partition key pk (S) and the sort key sk (S) a digest table needs',
    );
  });

  it('is named after the state table it sits beside, within DynamoDB name lengths', () => {
    expect(digestTableBeside('expiry-alerts-state')).toBe('expiry-alerts-state-digest');
    expect(digestTableBeside('t'.repeat(248))).toHaveLength(255);
    expect(digestTableBeside('t'.repeat(249))).toBeNull();
  });
});
