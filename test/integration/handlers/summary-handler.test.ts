/**
 * The weekly summary function end to end: the simulator (real HTTP), the state table in dynalite after a day of
 * scanning (the scan and alert handlers), a mute written as `expiry-alerts mute --table` writes it, and SNS mocked
 * at the client. The Slack notifier turns the published summary into its message.
 */

import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import { formatRouteFilters } from '../../../functions/config/route-filters.ts';
import type { WeeklySummary } from '../../../functions/core/summary.ts';
import { makeBatchProcessor } from '../../../functions/handlers/alert-handler.ts';
import { scanOnce } from '../../../functions/handlers/scan-handler.ts';
import { slackPayloadFor } from '../../../functions/handlers/slack-handler.ts';
import { makeHandler, type SummaryDependencies } from '../../../functions/handlers/summary-handler.ts';
import { SnsSummarySender } from '../../../functions/notify/sns-summary.ts';
import { metrics } from '../../../functions/runtime/observability.ts';
import { readSummaryEnvironment } from '../../../functions/runtime/summary-environment.ts';
import { addDays } from '../../certcentral-sim/dates.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { expectedOverview } from '../../support/expected-overview.ts';
import { API_KEY, type HandlerWorld, TOPIC_ARN, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-summary';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = '2026-11-23';
const MONDAY_7AM = new Date(`${TODAY}T07:00:00Z`);

const fixture = useHandlerFixture();
const output = useLambdaOutput();

/** A day of scanning: the scan queues, the alert function announces (and remembers listings and subaccounts). */
async function scannedWorld(): Promise<HandlerWorld> {
  const world = await fixture.world(sampleAccount(TODAY));
  await scanOnce(world.scanDeps);
  const records = fixture
    .queued()
    .map(({ entry }, index) => ({ messageId: `m${index}`, body: entry.MessageBody ?? '' }));
  expect((await makeBatchProcessor(world.alertDeps)(sqsEvent(records))).batchItemFailures).toEqual([]);
  fixture.sns.resetHistory();
  world.sim.resetCounters();
  metrics.clearMetrics();
  return world;
}

function summaryDeps(world: HandlerWorld, variables: Record<string, string> = {}): SummaryDependencies {
  const env = readSummaryEnvironment({ ...world.variables, ...variables });
  const topic = new SnsSummarySender(new SNSClient({ region: 'eu-west-1' }), TOPIC_ARN);
  return {
    env,
    apiKey: world.scanDeps.apiKey,
    state: world.scanDeps.state,
    sender: topic,
    clock: () => MONDAY_7AM,
  };
}

const summaries = (): WeeklySummary[] =>
  fixture
    .published()
    .map((input) => JSON.parse((JSON.parse(input.Message ?? '') as { default: string }).default));

describe('the weekly summary function', () => {
  it('sends one summary of what expires within the window, grouped by severity, muted ones marked', async () => {
    const world = await scannedWorld();
    const account = world.sim.account;
    const muted = account.orders().find((order) => order.commonName === 'vpn.example.net');
    if (!muted) throw new Error('the sample account has vpn.example.net');
    await world.mutes.putMute({
      orderId: muted.id,
      certificateId: null,
      until: addDays(TODAY, 30),
      reason: 'replaced by the new VPN',
      by: 'ana',
      createdAt: MONDAY_7AM.toISOString(),
      endedAt: null,
      endedBy: null,
    });

    await makeHandler(summaryDeps(world))({}, lambdaContext('expiry-alerts-summary'));

    const [published] = fixture.published();
    const [summary] = summaries();
    const expected = expectedOverview(account, TODAY, 30);
    expect(fixture.published()).toHaveLength(1);
    expect(
      summary?.certificates.map(({ orderId, certificateId, daysRemaining }) => [
        orderId,
        certificateId,
        daysRemaining,
      ]),
    ).toEqual(
      expected.map(({ orderId, certificateId, daysRemaining }) => [orderId, certificateId, daysRemaining]),
    );
    expect(summary).toMatchObject({
      type: 'summary',
      route: null,
      withinDays: 30,
      total: expected.length,
      muted: 1,
    });
    expect(published?.Subject).toBe(
      `Certificate summary: ${expected.length} expiring within 30 days (5 critical, 8 warning, 2 info, 1 muted)`,
    );
    expect(published?.MessageAttributes).toMatchObject({
      type: { StringValue: 'summary' },
      delivery: { StringValue: 'summary' },
      severity: { StringValue: 'critical' },
    });
    const email = (JSON.parse(published?.Message ?? '') as { email: string }).email;
    expect(email).toMatch(/^CRITICAL \(5\)$/m);
    expect(email).toContain(
      `vpn.example.net: expires in 20 days, valid till ${addDays(TODAY, 20)}, order ${muted.id}`,
    );
    expect(email).toContain('MUTED until 2026-12-23 by ana: replaced by the new VPN');
    expect(world.sim.calls).toMatchObject({ report: 1, order: 0, subaccountOrder: 0, duplicates: 0 });
    expect(output.metrics()).toMatchObject({ SummariesSent: 1, CertCentralCalls: 1 });
    expect(output.text()).not.toContain(API_KEY);

    const slack = slackPayloadFor((JSON.parse(published?.Message ?? '') as { default: string }).default);
    expect(slack.text).toContain('Certificate summary');
    expect(JSON.stringify(slack.attachments)).toContain('MUTED until 2026-12-23');
  });

  it('says when nothing expires, and honours summaryWithinDays', async () => {
    const world = await scannedWorld();
    await makeHandler(summaryDeps(world, { SUMMARY_WITHIN_DAYS: '60' }))(
      {},
      lambdaContext('expiry-alerts-summary'),
    );
    expect(summaries()[0]?.total).toBe(expectedOverview(world.sim.account, TODAY, 60).length);

    fixture.sns.resetHistory();
    world.sim.account.orders().forEach((order) => {
      order.inReport = false;
    });
    await makeHandler(summaryDeps(world))({}, lambdaContext('expiry-alerts-summary'));
    expect(fixture.published()[0]?.Subject).toBe('Certificate summary: nothing expires within 30 days');
  });

  it('sends each route one summary of its own certificates only, addressed to it', async () => {
    const world = await scannedWorld();
    const routes = [
      { name: 'web', containers: ['Web Platform'], organizations: null, products: null, severities: null },
      {
        name: 'oncall',
        containers: null,
        organizations: null,
        products: null,
        severities: ['critical' as const],
      },
    ];

    await makeHandler(summaryDeps(world, { ROUTES: formatRouteFilters(routes) }))(
      {},
      lambdaContext('expiry-alerts-summary'),
    );

    const everything = expectedOverview(world.sim.account, TODAY, 30);
    const byRoute = new Map(summaries().map((summary) => [summary.route, summary]));
    const keys = (rows: readonly { orderId: number; certificateId: number | null }[]) =>
      rows.map(({ orderId, certificateId }) => `${orderId}/${certificateId}`).sort();
    expect([...byRoute.keys()].sort()).toEqual(['oncall', 'web']);
    expect(keys(byRoute.get('web')?.certificates ?? [])).toEqual(
      keys(everything.filter((row) => row.container === 'Web Platform')),
    );
    expect(keys(byRoute.get('oncall')?.certificates ?? [])).toEqual(
      keys(everything.filter((row) => row.severity === 'critical')),
    );
    expect(byRoute.get('web')?.total).toBeGreaterThan(0);
    expect(byRoute.get('web')?.total).toBeLessThan(everything.length);
    expect(
      fixture
        .published()
        .map((input) => input.MessageAttributes?.route?.StringValue)
        .sort(),
    ).toEqual(['oncall', 'web']);
    expect(world.sim.calls.report).toBe(1);
  });
});

describe('the weekly summary function against a report that never ends', () => {
  it('stops at MAX_REPORT_ROWS like the scan, sends nothing, and says why', async () => {
    const world = await scannedWorld();

    await expect(
      makeHandler(summaryDeps(world, { REPORT_PAGE_SIZE: '2', MAX_REPORT_ROWS: '3' }))(
        {},
        lambdaContext('expiry-alerts-summary'),
      ),
    ).rejects.toThrow('the order report passed 3 rows');

    expect(fixture.published()).toEqual([]);
    expect(output.text()).toContain('"message":"summary failed"');
    expect(world.sim.calls.report).toBe(2);
  });
});
