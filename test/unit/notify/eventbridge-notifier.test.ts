import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
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

  it('puts no digest on the bus: its alerts are there already', async () => {
    const notifier = new EventBridgeNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'certificates');

    await notifier.sendDigest(digestOf([loadEvent('expired')]));

    expect(putCalls()).toEqual([]);
  });

  it('fails when EventBridge refuses the entry, so that the alert is retried', async () => {
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
  it('sends to each notifier in order, and stops at the first failure', async () => {
    const bus = new RecordingNotifier();
    const people = new RecordingNotifier();
    const both = new FanOutNotifier([bus, people]);

    await both.send(loadEvent('expired'), 'individual');
    bus.failNext = 1;
    await expect(both.send(loadEvent('expiring-warning'), 'individual')).rejects.toThrow();
    await both.sendDigest(digestOf([loadEvent('expired')]));

    expect(bus.sent.map((sent) => sent.event.orderId)).toEqual([98765]);
    expect(people.sent.map((sent) => sent.event.orderId)).toEqual([98765]);
    expect(people.digests).toHaveLength(1);
  });
});
