/**
 * Several notifiers as one, sent to in order: the first failure stops the send, and the alert stage gives the
 * claim back, so the retry sends to all of them again. Put the at-least-once targets first (the EventBridge
 * bus), people's (SNS) last: a failure on the bus then never makes people receive an alert twice.
 */
import type { AlertDigest, Delivery, NotificationEvent } from '../core/model.ts';
import type { Notifier } from '../core/ports.ts';

export class FanOutNotifier implements Notifier {
  constructor(private readonly notifiers: readonly Notifier[]) {}

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    for (const notifier of this.notifiers) await notifier.send(event, delivery);
  }

  async sendDigest(digest: AlertDigest): Promise<void> {
    for (const notifier of this.notifiers) await notifier.sendDigest(digest);
  }
}
