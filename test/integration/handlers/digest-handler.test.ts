import { describe, expect, it, vi } from 'vitest';
import type { AlertDigest, NotificationEvent } from '../../../functions/core/model.ts';
import { makeBatchProcessor } from '../../../functions/handlers/alert-handler.ts';
import { deliverDueDigests, makeHandler } from '../../../functions/handlers/digest-handler.ts';
import { scanOnce } from '../../../functions/handlers/scan-handler.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { type HandlerWorld, machineBody, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-digest';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = '2026-11-23';
const SCANNED_AT = `${TODAY}T06:00:00Z`;
const minutesAfterScan = (minutes: number) => () => new Date(Date.parse(SCANNED_AT) + minutes * 60_000);
const SETTLE = { settleSeconds: 120 };

const fixture = useHandlerFixture();
const output = useLambdaOutput();

/** A flood: the scan queues the sample account's alerts digested, and the alert function works through them. */
async function floodWorkedThrough(): Promise<HandlerWorld> {
  const world = await fixture.world(sampleAccount(TODAY), { DIGEST_THRESHOLD: '3' });
  await scanOnce(world.scanDeps);
  const records = fixture
    .queued()
    .map(({ entry }, index) => ({ messageId: `m${index}`, body: entry.MessageBody ?? '' }));
  const result = await makeBatchProcessor(world.alertDeps)(sqsEvent(records));
  expect(result.batchItemFailures).toEqual([]);
  return world;
}

const published = () => fixture.published().map(machineBody);
const isDigest = (body: NotificationEvent | AlertDigest): body is AlertDigest => body.type === 'digest';
const certificate = (event: NotificationEvent) => `${event.orderId}/${event.certificateId}`;

describe('the digest function', () => {
  it('sends one digest listing exactly the alerts the workers sent, once the work queue has drained', async () => {
    const world = await floodWorkedThrough();
    const sentDigested = published().filter((body): body is NotificationEvent => !isDigest(body));
    expect(sentDigested.length).toBeGreaterThan(3);

    const run = makeHandler({
      env: SETTLE,
      ...world.digestDeps,
      workQueue: { messages: async () => 0 },
      clock: minutesAfterScan(5),
    });
    await run({}, lambdaContext('expiry-alerts-digest'));
    await run({}, lambdaContext('expiry-alerts-digest'));

    const digests = published().filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.total).toBe(sentDigested.length);
    expect(digests[0]?.alerts.map(certificate).sort()).toEqual(sentDigested.map(certificate).sort());
    expect(fixture.published().at(-1)?.MessageAttributes?.type?.StringValue).toBe('digest');
    expect(output.metrics()).toMatchObject({ DigestsSent: 1 });
  });

  it('waits while the work queue still holds messages', async () => {
    const world = await floodWorkedThrough();
    const before = fixture.published().length;

    const result = await deliverDueDigests({
      env: SETTLE,
      ...world.digestDeps,
      workQueue: { messages: async () => 12 },
      clock: minutesAfterScan(30),
    });

    expect(result).toEqual({ delivered: [], waiting: [SCANNED_AT] });
    expect(fixture.published()).toHaveLength(before);
    expect(await world.digestDeps.ledger.openDigests()).toHaveLength(1);
  });

  it("waits until the digest has settled past SQS's counting lag, even when the queue looks empty", async () => {
    const world = await floodWorkedThrough();
    const queueAsked = vi.fn(async () => 0);

    const early = await deliverDueDigests({
      env: SETTLE,
      ...world.digestDeps,
      workQueue: { messages: queueAsked },
      clock: minutesAfterScan(1),
    });

    expect(early.waiting).toEqual([SCANNED_AT]);
    expect(queueAsked).not.toHaveBeenCalled();
  });

  it('does nothing, and asks SQS nothing, when no digest is open', async () => {
    const world = await fixture.world(sampleAccount(TODAY));
    const queueAsked = vi.fn(async () => 0);

    const result = await deliverDueDigests({
      env: SETTLE,
      ...world.digestDeps,
      workQueue: { messages: queueAsked },
      clock: minutesAfterScan(60),
    });

    expect(result).toEqual({ delivered: [], waiting: [] });
    expect(queueAsked).not.toHaveBeenCalled();
  });
});
