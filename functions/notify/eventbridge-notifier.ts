/**
 * Puts every alert on an EventBridge bus as well (`eventBusName`), the way ACM announces expiring certificates,
 * so that rules can route it: source `expiry-alerts`, detail-type `Certificate Expiry Alert`, detail the event.
 * Digests are for people and are not put on the bus; digested events are, like every other alert.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';

export const EVENT_SOURCE = 'expiry-alerts';
export const EVENT_DETAIL_TYPE = 'Certificate Expiry Alert';

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
            Detail: JSON.stringify(event),
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
