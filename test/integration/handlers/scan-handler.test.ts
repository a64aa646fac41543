import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { CertCentralKeyRefusedError } from '../../../functions/certcentral/errors.ts';
import { makeBatchProcessor } from '../../../functions/handlers/alert-handler.ts';
import { makeHandler, scanOnce } from '../../../functions/handlers/scan-handler.ts';
import { metrics } from '../../../functions/runtime/observability.ts';
import { QueueSendError } from '../../../functions/runtime/sqs-candidate-queue.ts';
import { generateAccount, sampleAccount } from '../../certcentral-sim/generate.ts';
import { expectedOverview } from '../../support/expected-overview.ts';
import { type ExpectedLevel, expectedCandidates, expectedListings } from './support/expected-candidates.ts';
import { API_KEY, type QueuedMessage, SECRET_ARN, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-scan';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = '2026-11-23';
const SCANNED_AT = `${TODAY}T06:00:00Z`;
const scheduledEvent = { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} };
const context = lambdaContext('expiry-alerts-scan');

const fixture = useHandlerFixture();

/** The queued alert candidates as order id -> level, failing on an order queued twice. */
function queuedLevels(queued: readonly QueuedMessage[]): Map<number, ExpectedLevel> {
  const levels = new Map<number, ExpectedLevel>();
  for (const { message } of queued) {
    const { candidate } = message;
    expect(['alert', 'duplicates']).toContain(candidate.kind);
    if (candidate.kind !== 'alert') continue;
    expect(levels.has(candidate.order.orderId), `order ${candidate.order.orderId} queued twice`).toBe(false);
    const [own] = candidate.due;
    expect(own?.certKey).toBe(`order#${candidate.order.orderId}`);
    if (own) levels.set(candidate.order.orderId, own.level);
  }
  return levels;
}

const output = useLambdaOutput();

describe('the scan handler queues what the core decides', () => {
  it('sends one message per candidate of a multi-page report, in batches of at most ten', async () => {
    const account = generateAccount({ seed: 7, orders: 400, today: TODAY });
    const world = await fixture.world(account, { DIGEST_THRESHOLD: '1000', REPORT_PAGE_SIZE: '150' });
    const expected = expectedCandidates(account, TODAY);

    const result = await scanOnce(world.scanDeps);

    const queued = fixture.queued();
    const listings = queued.flatMap(({ message }) =>
      message.candidate.kind === 'duplicates' ? [message.candidate.order.orderId] : [],
    );
    expect(expected.size).toBeGreaterThan(30);
    expect(queuedLevels(queued)).toEqual(expected);
    expect(listings.sort()).toEqual(expectedListings(account, TODAY).sort());
    expect(result.alertCandidates).toBe(expected.size);
    const sizes = fixture.batches().map((entries) => entries.length);
    expect(sizes).toHaveLength(Math.ceil((expected.size + listings.length) / 10));
    expect(sizes.every((size) => size >= 1 && size <= 10)).toBe(true);
    for (const { message } of queued) {
      expect(message).toMatchObject({ scannedAt: SCANNED_AT, delivery: 'individual' });
    }
    expect(world.sim.calls.report).toBeGreaterThanOrEqual(3);
    expect(world.sim.calls.order + world.sim.calls.duplicates + world.sim.calls.subaccountOrder).toBe(0);
    expect(fixture.published()).toEqual([]);
  });

  it('runs as the scheduled Lambda with the key from Secrets Manager, which never reaches a log line', async () => {
    const account = sampleAccount(TODAY);
    const world = await fixture.world(account);
    const expected = expectedCandidates(account, TODAY);

    await makeHandler(world.scanDeps)(scheduledEvent, context);

    expect(queuedLevels(fixture.queued())).toEqual(expected);
    const pending = fixture
      .queued()
      .map(({ message }) => message.candidate)
      .find((candidate) => candidate.order.commonName === 'auth.example.org');
    expect(pending?.kind === 'alert' && pending.renewal).toEqual({
      orderId: expect.any(Number),
      status: 'pending',
    });
    expect(fixture.secrets.commandCalls(GetSecretValueCommand, { SecretId: SECRET_ARN })).toHaveLength(1);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'scan done', alertCandidates: expected.size }),
    );
    expect(output.metrics()).toMatchObject({ ScanSucceeded: 1, Candidates: expected.size });
    expect(output.text()).not.toContain(API_KEY);
  });

  it('retries the entries SQS refused, so every candidate is queued exactly once', async () => {
    const account = sampleAccount(TODAY);
    const world = await fixture.world(account);
    const expected = expectedCandidates(account, TODAY);
    fixture.refuseEntries(['2', '5']);

    await scanOnce(world.scanDeps);

    const [first, retry] = fixture.batches();
    expect(retry?.map((entry) => entry.MessageBody)).toEqual(
      first?.filter((entry) => entry.Id === '2' || entry.Id === '5').map((entry) => entry.MessageBody),
    );
    expect(queuedLevels(fixture.queued())).toEqual(expected);
  });

  it('fails the scan when SQS keeps refusing an entry', async () => {
    const world = await fixture.world(sampleAccount(TODAY));
    fixture.refuseEntries(['0'], ['0'], ['0']);

    await expect(scanOnce(world.scanDeps)).rejects.toThrow(QueueSendError);

    expect(fixture.batches().map((entries) => entries.length)).toEqual([10, 1, 1]);
  });
});

describe('the scan handler on a flood', () => {
  it('queues the alerts digested and opens their digest instead of publishing anything', async () => {
    const account = sampleAccount(TODAY);
    const world = await fixture.world(account, { DIGEST_THRESHOLD: '3' });
    const expected = expectedCandidates(account, TODAY);

    await makeHandler(world.scanDeps)(scheduledEvent, context);

    expect(fixture.published()).toEqual([]);
    expect(queuedLevels(fixture.queued())).toEqual(expected);
    expect(fixture.queued().every(({ message }) => message.delivery === 'digested')).toBe(true);
    expect(await world.digestDeps.ledger.openDigests()).toEqual([
      { scannedAt: SCANNED_AT, openedAt: new Date(SCANNED_AT).toISOString() },
    ]);
    expect(output.metrics()).toMatchObject({ DigestsOpened: 1 });
  });

  it('opens no digest when the alerts are not more than the threshold', async () => {
    const account = sampleAccount(TODAY);
    const world = await fixture.world(account, {
      DIGEST_THRESHOLD: String(expectedCandidates(account, TODAY).size),
    });

    await makeHandler(world.scanDeps)(scheduledEvent, context);

    expect(fixture.queued().every(({ message }) => message.delivery === 'individual')).toBe(true);
    expect(await world.digestDeps.ledger.openDigests()).toEqual([]);
  });
});

describe('the scan handler with a refused API key', () => {
  it('throws, counts CertCentralKeyRefused, queues nothing and logs neither key', async () => {
    const world = await fixture.world(sampleAccount(TODAY));
    const revokedKey = 'dc-revoked-key-0a9b8c7d6e5f4a3b';
    fixture.secrets.on(GetSecretValueCommand).resolves({ SecretString: revokedKey });

    await expect(makeHandler(world.scanDeps)(scheduledEvent, context)).rejects.toThrow(
      CertCentralKeyRefusedError,
    );

    expect(output.metrics()).toMatchObject({ CertCentralKeyRefused: 1 });
    expect(output.metrics().ScanSucceeded).toBeUndefined();
    expect(fixture.sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(fixture.published()).toEqual([]);
    expect(output.text()).not.toContain(revokedKey);
    expect(output.text()).not.toContain(API_KEY);
  });
});

describe('the scan handler pictures the account for the dashboard', () => {
  it('publishes the watched certificates by band (own and duplicates) and the muted ones, once per scan', async () => {
    const account = sampleAccount(TODAY);
    const world = await fixture.world(account);
    await scanOnce(world.scanDeps);
    const records = fixture
      .queued()
      .map(({ entry }, index) => ({ messageId: `m${index}`, body: entry.MessageBody ?? '' }));
    await makeBatchProcessor(world.alertDeps)(sqsEvent(records));
    const muted = account.orders().find((order) => order.commonName === 'static.example.com');
    await world.mutes.putMute({
      orderId: muted?.id ?? 0,
      certificateId: null,
      until: '2026-12-31',
      reason: 'moving',
      by: 'ana',
      createdAt: SCANNED_AT,
      endedAt: null,
      endedBy: null,
    });
    metrics.clearMetrics();

    await makeHandler(world.scanDeps)(scheduledEvent, context);

    const days = expectedOverview(account, TODAY, 90).map((row) => row.daysRemaining);
    expect(output.metrics()).toMatchObject({
      CertificatesExpired: days.filter((left) => left < 0).length,
      CertificatesWithin7Days: days.filter((left) => left >= 0 && left <= 7).length,
      CertificatesWithin30Days: days.filter((left) => left >= 0 && left <= 30).length,
      CertificatesWithin90Days: days.filter((left) => left >= 0).length,
      CertificatesMuted: 2,
    });
    const emf = output
      .text()
      .split('\n')
      .filter((line) => line.includes('"CertificatesWithin7Days"'));
    expect(emf).toHaveLength(1);
  });
});
