import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Notifier } from '../../../functions/core/ports.ts';
import {
  EVENT_DETAIL_TYPE,
  EVENT_SOURCE,
  EventBridgeNotifier,
  EventBridgePutError,
} from '../../../functions/notify/eventbridge-notifier.ts';
import { FanOutNotifier } from '../../../functions/notify/fan-out-notifier.ts';
import { digestOf, loadEvent } from '../../fixtures/events/load.ts';
import { RecordingNotifier } from '../../support/fakes.ts';

const events = mockClient(EventBridgeClient);
const putCalls = () => events.commandCalls(PutEventsCommand).map((call) => call.args[0].input);

describe('EventBridgeNotifier', () => {
  beforeEach(() => {
    events.reset();
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  });

  it('puts every alert on the bus, digested or not, as source expiry-alerts with the event as detail', async () => {
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates');
    const expiring = loadEvent('expiring-warning');
    const expired = loadEvent('expired');

    await notifier.send(expiring, 'individual');
    await notifier.send(expired, 'digested');

    expect(putCalls()).toEqual([
      {
        Entries: [
          {
            EventBusName: 'certificates',
            Source: EVENT_SOURCE,
            DetailType: EVENT_DETAIL_TYPE,
            Detail: JSON.stringify(expiring),
          },
        ],
      },
      { Entries: [expect.objectContaining({ Detail: JSON.stringify(expired) })] },
    ]);
    expect(EVENT_SOURCE).toBe('expiry-alerts');
    expect(EVENT_DETAIL_TYPE).toBe('Certificate Expiry Alert');
  });

  it('cuts an event over 256 KB to fit an entry, and says what was cut', async () => {
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates');
    const base = loadEvent('expiring-warning');
    const huge = { ...base, dnsNames: Array.from({ length: 12_000 }, (_, i) => `host-${i}.example.com`) };

    await notifier.send(huge, 'individual');

    const [entry] = putCalls()[0]?.Entries ?? [];
    const detail = JSON.parse(entry?.Detail ?? '{}');
    const size =
      Buffer.byteLength(entry?.Detail ?? '') +
      Buffer.byteLength(EVENT_SOURCE) +
      Buffer.byteLength(EVENT_DETAIL_TYPE) +
      Buffer.byteLength('certificates') +
      14;
    expect(size).toBeLessThanOrEqual(262_144);
    expect(detail.truncated).toEqual({ dnsNames: { originalCount: 12_000 } });
    expect(detail.dnsNames.length).toBeGreaterThan(1000);
    expect(detail.orderId).toBe(base.orderId);
  });

  it('puts no digest on the bus: its alerts are there already', async () => {
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates');

    await notifier.sendDigest(digestOf([loadEvent('expired')]));

    expect(putCalls()).toEqual([]);
  });

  it('fails when EventBridge refuses the entry, naming its error code', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }],
    });
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates');

    await expect(notifier.send(loadEvent('expired'), 'individual')).rejects.toThrow(EventBridgePutError);
    await expect(notifier.send(loadEvent('expired'), 'individual')).rejects.toThrow(
      'InternalFailure try again',
    );
  });
});

describe('FanOutNotifier', () => {
  it('tells people first, then puts a copy on the bus', async () => {
    const order: string[] = [];
    const recording = (name: string): Notifier => ({
      send: async () => {
        order.push(name);
      },
      sendDigest: async () => {},
    });

    await new FanOutNotifier(recording('people'), [recording('bus')], () => {}).send(
      loadEvent('expired'),
      'individual',
    );

    expect(order).toEqual(['people', 'bus']);
  });

  it('still tells people when the bus fails, and reports the failure instead of failing the send', async () => {
    const people = new RecordingNotifier();
    const bus = new RecordingNotifier();
    const failures: string[] = [];
    const both = new FanOutNotifier(people, [bus], (error, event) =>
      failures.push(`${event.orderId}: ${(error as Error).message}`),
    );
    bus.failNext = 1;

    await both.send(loadEvent('expired'), 'individual');

    expect(people.sent.map((sent) => sent.event.orderId)).toEqual([98765]);
    expect(failures).toEqual(['98765: notifier unavailable']);
  });

  it("fails the send, and puts nothing on the bus, when people's channel fails", async () => {
    const people = new RecordingNotifier();
    const bus = new RecordingNotifier();
    const both = new FanOutNotifier(people, [bus], () => {});
    people.failNext = 1;

    await expect(both.send(loadEvent('expired'), 'individual')).rejects.toThrow('notifier unavailable');

    expect(bus.sent).toEqual([]);
  });

  it('sends digests to people only', async () => {
    const people = new RecordingNotifier();
    const bus = new RecordingNotifier();
    await new FanOutNotifier(people, [bus], () => {}).sendDigest(digestOf([loadEvent('expired')]));
    expect([people.digests.length, bus.digests.length]).toEqual([1, 0]);
  });
});
