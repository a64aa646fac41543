/**
 * People's channel first, then copies for machines (the EventBridge bus). A failure of people's channel fails
 * the send: the alert stage gives the claim back and the retry sends again. A copy is sent only once people's
 * channel took the alert, and a copy's failure goes to `copyFailed` instead of being thrown: thrown, it would
 * give the claim back and people would receive the alert twice; and an outage of an optional integration must
 * never keep an alert from people.
 */
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';

export type CopyFailed = (error: unknown, event: NotificationEvent) => void;

export class FanOutNotifier implements Notifier {
  constructor(
    private readonly people: Notifier,
    private readonly copies: readonly Notifier[],
    private readonly copyFailed: CopyFailed,
  ) {}

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    await this.people.send(event, delivery);
    for (const copy of this.copies) {
      try {
        await copy.send(event, delivery);
      } catch (error) {
        this.copyFailed(error, event);
      }
    }
  }

  /** Digests are for people: the copies have each of its alerts already. */
  async sendDigest(digest: AlertDigest): Promise<void> {
    await this.people.sendDigest(digest);
  }
}
