/**
 * Routes end to end, through the handlers: the scheduled scan finds a flood, the alert function sends it
 * `digested`, and the digest function, given the routes' filters as the stack gives them (context -> config ->
 * the ROUTES variable), sends each route one digest of its own alerts. What each route's subscriptions would let
 * through is checked with the route's real filter policy.
 */
import { describe, expect, it, vi } from 'vitest';
import { formatRouteFilters } from '../../../functions/config/route-filters.ts';
import type { AlertDigest, NotificationEvent } from '../../../functions/core/model.ts';
import { makeBatchProcessor } from '../../../functions/handlers/alert-handler.ts';
import { makeHandler } from '../../../functions/handlers/digest-handler.ts';
import { scanOnce } from '../../../functions/handlers/scan-handler.ts';
import { readDigestEnvironment } from '../../../functions/runtime/environment.ts';
import { parseStackConfig } from '../../../infra/config.ts';
import { routeFilterPolicy } from '../../../infra/routes.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { filterPolicyAccepts } from '../../support/sns-filter-policy.ts';
import { machineBody, TOPIC_ARN, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-routes';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = '2026-11-23';
const FIVE_MINUTES_LATER = () => new Date(`${TODAY}T06:05:00Z`);

const fixture = useHandlerFixture();
useLambdaOutput();

/** Two teams as a deployer writes them in cdk.json: the web platform's certificates, and on-call's criticals. */
const ROUTES_CONTEXT = [
  { name: 'web', emails: ['web@example.com'], containers: ['Web Platform'] },
  { name: 'oncall', slackWebhookSecretName: 'expiry-alerts/slack-oncall', severities: ['critical'] },
];

const isDigest = (body: NotificationEvent | AlertDigest): body is AlertDigest => body.type === 'digest';
const certificate = (event: NotificationEvent) => `${event.orderId}/${event.certificateId}`;

describe('routes through the handlers (scan -> alert -> digest)', () => {
  it("send each route one digest listing only its own alerts, which only that route's subscribers receive", async () => {
    const config = parseStackConfig((key) => (key === 'routes' ? ROUTES_CONTEXT : undefined));
    const digestEnv = readDigestEnvironment({
      DIGEST_TABLE_NAME: 'unused-here',
      TOPIC_ARN,
      WORK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/unused-here',
      ROUTES: formatRouteFilters(config.routes),
    });
    const world = await fixture.world(sampleAccount(TODAY), { DIGEST_THRESHOLD: '3' });

    await scanOnce(world.scanDeps);
    const records = fixture
      .queued()
      .map(({ entry }, index) => ({ messageId: `m${index}`, body: entry.MessageBody ?? '' }));
    expect((await makeBatchProcessor(world.alertDeps)(sqsEvent(records))).batchItemFailures).toEqual([]);
    const sent = fixture
      .published()
      .map(machineBody)
      .filter((body): body is NotificationEvent => !isDigest(body));
    await makeHandler({
      env: { settleSeconds: 120 },
      ledger: world.routedLedger(digestEnv.routes),
      notifier: world.digestDeps.notifier,
      workQueue: { messages: async () => 0 },
      clock: FIVE_MINUTES_LATER,
    })({}, lambdaContext('expiry-alerts-digest'));

    const digestInputs = fixture
      .published()
      .filter((input) => input.MessageAttributes?.type?.StringValue === 'digest');
    const digests = digestInputs.map(machineBody).filter(isDigest);
    expect(digests.map((digest) => digest.route)).toEqual(['web', 'oncall']);
    expect(digestInputs.map((input) => input.MessageAttributes?.route?.StringValue)).toEqual([
      'web',
      'oncall',
    ]);
    const [web, oncall] = digests as [AlertDigest, AlertDigest];
    const ofWeb = sent.filter((event) => event.container === 'Web Platform');
    const ofOncall = sent.filter((event) => event.severity === 'critical');
    expect(ofWeb.length).toBeGreaterThan(0);
    expect(ofOncall.length).toBeGreaterThan(0);
    expect(ofWeb.length + ofOncall.length).toBeLessThan(sent.length * 2);
    expect(web.alerts.map(certificate).sort()).toEqual(ofWeb.map(certificate).sort());
    expect(web.total).toBe(ofWeb.length);
    expect(oncall.alerts.map(certificate).sort()).toEqual(ofOncall.map(certificate).sort());
    expect(oncall.total).toBe(ofOncall.length);

    // What SNS would deliver: each route gets its own digest, and none of the flood's digested events.
    for (const route of config.routes) {
      const received = fixture
        .published()
        .filter((input) => filterPolicyAccepts(routeFilterPolicy(route), input.MessageAttributes));
      expect(
        received.map((input) => input.MessageAttributes?.route?.StringValue),
        route.name,
      ).toEqual([route.name]);
    }
  });
});
