import { InternalErrorException, PublishCommand, type PublishCommandInput } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import type { NotificationEvent } from '../../../functions/core/model.ts';
import { makeBatchProcessor, makeHandler } from '../../../functions/handlers/alert-handler.ts';
import { scanOnce } from '../../../functions/handlers/scan-handler.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { API_KEY, type HandlerWorld, machineBody, useHandlerFixture } from './support/handler-fixture.ts';
import { sqsEvent } from './support/lambda-events.ts';
import { lambdaContext, useLambdaOutput } from './support/lambda-output.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'expiry-alerts-alert';
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ExpiryAlertsTest';
});

const TODAY = '2026-11-23';
const REVOKED_KEY = 'dc-revoked-key-7c6b5a4f3e2d1c0b';

const fixture = useHandlerFixture();
const output = useLambdaOutput();

/** A first scan of the sample account; its queued bodies, by the common name of their order. */
async function scannedSample(): Promise<{ world: HandlerWorld; bodies: Map<string, string> }> {
  const world = await fixture.world(sampleAccount(TODAY));
  await scanOnce(world.scanDeps);
  const bodies = new Map(
    fixture
      .queued()
      .map(({ entry, message }) => [message.candidate.order.commonName, entry.MessageBody ?? '']),
  );
  return { world, bodies };
}

function bodyOf(bodies: ReadonlyMap<string, string>, commonName: string): string {
  const body = bodies.get(commonName);
  if (body === undefined) throw new Error(`the scan queued nothing for ${commonName}`);
  return body;
}

const publishedEvents = (): NotificationEvent[] =>
  fixture.published().map((input) => machineBody(input) as NotificationEvent);

/** DigiCert revokes the key after `requests` requests: from then on the simulator sees another key. */
function keyRevokedAfter(requests: number): typeof fetch {
  let made = 0;
  return (input, init) => {
    made += 1;
    if (made <= requests) return fetch(input, init);
    const headers = new Headers(init?.headers);
    headers.set('X-DC-DEVKEY', REVOKED_KEY);
    return fetch(input, { ...init, headers });
  };
}

describe('the alert handler reports exactly the records that failed', () => {
  it('lists the record whose publish failed and the one that is not JSON, and no other', async () => {
    const { world, bodies } = await scannedSample();
    const failing = JSON.parse(bodyOf(bodies, 'payments.example.com')) as {
      candidate: { order: { orderId: number } };
    };
    fixture.sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      if ((machineBody(input) as NotificationEvent).orderId === failing.candidate.order.orderId) {
        throw new InternalErrorException({ message: 'Internal error', $metadata: {} });
      }
      return { MessageId: 'sns-message' };
    });
    const event = sqsEvent([
      { messageId: 'msg-sso', body: bodyOf(bodies, 'sso.example.com') },
      { messageId: 'msg-payments', body: bodyOf(bodies, 'payments.example.com') },
      { messageId: 'msg-garbled', body: '{"candidate": {"kind": "alert", ' },
    ]);

    const response = await makeBatchProcessor(world.alertDeps)(event);

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'msg-payments' },
      { itemIdentifier: 'msg-garbled' },
    ]);
    expect(fixture.published()).toHaveLength(2);
    expect(publishedEvents()[0]).toMatchObject({
      commonName: 'sso.example.com',
      type: 'certificate.expiring',
      threshold: 7,
    });
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: 'candidate failed', messageId: 'msg-garbled' }),
    );
  });

  it('sends nothing again for a redelivered success, and sends a redelivered failure once', async () => {
    const { world, bodies } = await scannedSample();
    fixture.sns
      .on(PublishCommand)
      .rejectsOnce(new InternalErrorException({ message: 'Internal error', $metadata: {} }))
      .resolves({ MessageId: 'sns-message' });
    const sso = { messageId: 'msg-sso', body: bodyOf(bodies, 'sso.example.com') };
    const payments = { messageId: 'msg-payments', body: bodyOf(bodies, 'payments.example.com') };
    const first = await makeBatchProcessor(world.alertDeps)(sqsEvent([payments, sso]));
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'msg-payments' }]);
    expect(publishedEvents().map((event) => event.commonName)).toEqual([
      'payments.example.com',
      'sso.example.com',
    ]);

    const coldStart = makeBatchProcessor(world.alertDeps);
    const redeliveredSuccess = await coldStart(sqsEvent([sso]));
    const redeliveredFailure = await coldStart(sqsEvent([payments]));
    const again = await coldStart(sqsEvent([payments, sso]));

    for (const response of [redeliveredSuccess, redeliveredFailure, again]) {
      expect(response.batchItemFailures).toEqual([]);
    }
    expect(publishedEvents().map((event) => event.commonName)).toEqual([
      'payments.example.com',
      'sso.example.com',
      'payments.example.com',
    ]);
  });

  it('fails every remaining record once the key is refused, without calling CertCentral for them', async () => {
    const { world, bodies } = await scannedSample();
    world.sim.resetCounters();
    const handler = makeHandler({ ...world.alertDeps, fetch: keyRevokedAfter(1) });
    const event = sqsEvent([
      { messageId: 'msg-sso', body: bodyOf(bodies, 'sso.example.com') },
      { messageId: 'msg-payments', body: bodyOf(bodies, 'payments.example.com') },
      { messageId: 'msg-grafana', body: bodyOf(bodies, 'grafana.example.net') },
    ]);

    const response = await handler(event, lambdaContext('expiry-alerts-alert'));

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'msg-payments' },
      { itemIdentifier: 'msg-grafana' },
    ]);
    expect(world.sim.calls.total).toBe(2);
    expect(publishedEvents().map((event) => event.commonName)).toEqual(['sso.example.com']);
    expect(output.metrics()).toMatchObject({ CertCentralKeyRefused: 1, AlertsSent: 1 });
    expect(output.text()).not.toContain(API_KEY);
    expect(output.text()).not.toContain(REVOKED_KEY);
  });
});

describe('the scan and alert handlers together', () => {
  it('announce each due certificate once, and a rescan the same day queues nothing', async () => {
    const { world } = await scannedSample();
    const queued = fixture.queued();
    const process = makeBatchProcessor(world.alertDeps);

    for (let start = 0; start < queued.length; start += 10) {
      const batch = queued.slice(start, start + 10).map(({ entry }, index) => ({
        messageId: `msg-${start + index}`,
        body: entry.MessageBody ?? '',
      }));
      expect((await process(sqsEvent(batch))).batchItemFailures).toEqual([]);
    }

    const events = publishedEvents();
    const certificates = events.map((event) => `${event.commonName}${event.duplicate ? ' (duplicate)' : ''}`);
    expect(new Set(certificates).size).toBe(events.length);
    expect(certificates).toEqual(
      expect.arrayContaining(['static.example.com', 'static.example.com (duplicate)', 'partner.example.net']),
    );
    expect(certificates).not.toContain('checkout.example.com');
    expect(events.find((event) => event.commonName === 'partner.example.net')?.subaccount).not.toBeNull();

    const rescan = await scanOnce(world.scanDeps);
    // Revoked since the report was made: the report still says issued, but the alert stage remembered the
    // detail's answer, so nothing is queued again.
    expect(fixture.queued().slice(queued.length)).toEqual([]);
    expect(rescan.unwatched.knownNotIssued).toBe(1);
  });
});
