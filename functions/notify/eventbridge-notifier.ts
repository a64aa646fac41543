/**
 * Puts every alert on an EventBridge bus as well (`eventBusName`), the way ACM announces expiring certificates,
 * so that rules can route it: source `expiry-alerts`, detail-type `Certificate Expiry Alert`, detail the event.
 * Digests are for people and are not put on the bus; digested events are, like every other alert.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';
import { type DeliveredEvent, fitEvent } from './event-fit.ts';

export const EVENT_SOURCE = 'expiry-alerts';
export const EVENT_DETAIL_TYPE = 'Certificate Expiry Alert';

/**
 * EventBridge refuses an entry over 256 KB, counting the UTF-8 bytes of its source, detail-type, detail and
 * bus name (and 14 for its time). The event is cut to fit the same way as for SNS (`truncated` says what).
 */
export const EVENT_ENTRY_LIMIT_BYTES = 262_144;
const ENTRY_TIME_BYTES = 14;

/** The event as the bus receives it: cut to fit an entry when it must be. */
export function busEvent(event: NotificationEvent, eventBusName: string): DeliveredEvent {
  const fixed =
    Buffer.byteLength(EVENT_SOURCE) +
    Buffer.byteLength(EVENT_DETAIL_TYPE) +
    Buffer.byteLength(eventBusName) +
    ENTRY_TIME_BYTES;
  return fitEvent(
    event,
    (candidate) => fixed + Buffer.byteLength(JSON.stringify(candidate)) <= EVENT_ENTRY_LIMIT_BYTES,
  );
}

/** EventBridge took the call but refused the entry (`FailedEntryCount`); its error code says why. */
export class EventBridgePutError extends Error {
  override readonly name = 'EventBridgePutError';
  constructor(
    readonly errorCode: string,
    reason: string,
  ) {
    super(`EventBridge refused the event: ${errorCode} ${reason}`.trim());
  }
}

export class EventBridgeNotifier implements Notifier {
  constructor(
    private readonly client: Pick<EventBridgeClient, 'send'>,
    /** A bus name or ARN. */
    private readonly eventBusName: string,
  ) {}

  async send(event: NotificationEvent, _delivery: Delivery): Promise<void> {
    const answer = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.eventBusName,
            Source: EVENT_SOURCE,
            DetailType: EVENT_DETAIL_TYPE,
            Detail: JSON.stringify(busEvent(event, this.eventBusName)),
          },
        ],
      }),
    );
    if ((answer.FailedEntryCount ?? 0) > 0) {
      const entry = answer.Entries?.[0];
      throw new EventBridgePutError(entry?.ErrorCode ?? 'Unknown', entry?.ErrorMessage ?? '');
    }
  }

  async sendDigest(_digest: AlertDigest): Promise<void> {}
}
