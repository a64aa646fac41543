import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { epochDay } from '../../../functions/core/levels.ts';
import { createDynamoClients } from '../../../functions/state/dynamo-clients.ts';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import { ScanTarget } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const DAY_SECONDS = 86_400;

const { freshState, simulate } = useScanFixture();

/** Each announced certificate's state item: its valid_till and the epoch second DynamoDB's TTL removes it at. */
async function announcedItems(
  stateFlags: string[],
): Promise<Array<{ validTill: string; expiresAt: number }>> {
  const endpoint = stateFlags[stateFlags.indexOf('--dynamodb-endpoint') + 1] as string;
  const table = stateFlags[stateFlags.indexOf('--table') + 1] as string;
  const { client, doc } = createDynamoClients({ endpoint });
  try {
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: table }));
    return Items.filter((item) => item.announcedRank !== undefined).map((item) => ({
      validTill: item.validTill as string,
      expiresAt: item.expiresAt as number,
    }));
  } finally {
    client.destroy();
  }
}

describe('local state retention', () => {
  it.each([
    ['the default look-back (30 days)', [], 60],
    ['a look-back of 3650 days', ['--expired-lookback-days', '3650'], 3680],
  ])(
    'keeps an announced certificate the look-back + 30 days after expiry: %s',
    async (_case, flags, days) => {
      const account = generateAccount({ seed: 7, orders: 120, today: TODAY });
      const state = freshState();
      const target = new ScanTarget(await simulate(account), state);

      const run = await target.scan(TODAY, flags as string[]);

      expect(run.exitCode).toBe(0);
      expect(run.events.some((event) => event.type === 'certificate.expired')).toBe(true);
      const items = await announcedItems(state);
      expect(items.length).toBe(run.events.length);
      for (const { validTill, expiresAt } of items) {
        expect(expiresAt).toBe(((epochDay(validTill) as number) + days) * DAY_SECONDS);
      }
    },
  );
});
