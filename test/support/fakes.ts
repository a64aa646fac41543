import type {
  AlertDigest,
  Delivery,
  DuplicateCertificate,
  NotificationEvent,
  OrderDetail,
  OrderLookup,
} from '../../functions/core/model.ts';
import type { Notifier, OrderDetailSource } from '../../functions/core/ports.ts';

/** Order details served from memory, counting the calls like the CertCentral client does. */
export class FakeDetails implements OrderDetailSource {
  readonly calls = { order: 0, subaccountOrder: 0, duplicates: 0 };
  readonly orders = new Map<number, OrderDetail>();
  readonly subaccountOrders = new Map<number, OrderDetail>();
  readonly duplicateLists = new Map<number, DuplicateCertificate[]>();
  /** Orders whose duplicates listing the key may not read (HTTP 403). */
  readonly refusedListings = new Set<number>();
  /** The status the order endpoint answers for orders it does not have. */
  missingStatus: 403 | 404 = 404;

  async order(orderId: number): Promise<OrderLookup> {
    this.calls.order += 1;
    const detail = this.orders.get(orderId);
    return detail ? { found: true, detail } : { found: false, status: this.missingStatus };
  }

  async subaccountOrder(orderId: number): Promise<OrderLookup> {
    this.calls.subaccountOrder += 1;
    const detail = this.subaccountOrders.get(orderId);
    return detail ? { found: true, detail } : { found: false, status: 404 };
  }

  async duplicates(orderId: number): Promise<DuplicateCertificate[] | null> {
    this.calls.duplicates += 1;
    if (this.refusedListings.has(orderId)) return null;
    return this.duplicateLists.get(orderId) ?? [];
  }
}

/** Records what would have gone out; can be told to fail the next sends. */
export class RecordingNotifier implements Notifier {
  readonly sent: { event: NotificationEvent; delivery: Delivery }[] = [];
  readonly digests: AlertDigest[] = [];
  failNext = 0;

  async send(event: NotificationEvent, delivery: Delivery): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('notifier unavailable');
    }
    this.sent.push({ event, delivery });
  }

  async sendDigest(digest: AlertDigest): Promise<void> {
    this.digests.push(digest);
  }
}
