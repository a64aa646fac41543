/**
 * A local scan publishing to an SNS topic (the client mocked at the SDK boundary: no SNS runs here). The stack's
 * route subscriptions accept individual alerts (`route=*`) that match their filters, and digests addressed to
 * their route: a local scan cannot address digests to routes it does not know, so a flood goes out one by one.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateAccount } from '../../certcentral-sim/generate.ts';
import { crossingsOn } from '../../support/expected-alerts.ts';
import { API_KEY } from '../../support/scan-command.ts';
import { useScanFixture } from '../../support/scan-fixture.ts';

const TODAY = '2026-11-23';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:ExpiryAlerts-TopicsAlerts-AbC123';

const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const { targetFor } = useScanFixture();

describe('scan --sns-topic-arn with a flood', () => {
  it('publishes every alert addressed to every route, and says why there is no digest', async () => {
    const account = generateAccount({ seed: 4, orders: 200, today: TODAY });
    const target = await targetFor(account);

    const run = await target.scanText(TODAY, ['--sns-topic-arn', TOPIC_ARN], {
      env: { DIGICERT_API_KEY: API_KEY, AWS_REGION: 'eu-west-1' },
    });

    const published = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    const expected = crossingsOn(account, TODAY);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(expected.length).toBeGreaterThan(20);
    expect(published).toHaveLength(expected.length);
    for (const input of published) {
      expect(input.MessageAttributes).toMatchObject({
        delivery: { StringValue: 'individual' },
        route: { StringValue: '*' },
      });
    }
    expect(run.stderr).toContain(
      `${expected.length} alerts were published one by one: a digest per route is made only by the deployed digest function`,
    );
  });
});
