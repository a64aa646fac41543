import { beforeEach, describe, expect, it } from 'vitest';
import { type AnnounceDeps, announce, type CandidateMessage } from '../../../functions/core/announce.ts';
import type { AlertCandidate, RenewedCandidate } from '../../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import type { ReportOrder } from '../../../functions/core/model.ts';
import { MemoryDigestLedger } from '../../../functions/state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../../../functions/state/memory-state-store.ts';
import { announced, dayPlus, orderDetail, reportOrder, scanAt } from '../../support/factories.ts';
import { FakeDetails, RecordingNotifier } from '../../support/fakes.ts';

const scannedAt = scanAt().toISOString();

function alertMessage(order: ReportOrder, renewal: AlertCandidate['renewal'] = null): CandidateMessage {
  return {
    candidate: { kind: 'alert', order, level: 7, daysRemaining: 5, renewal },
    scannedAt,
    delivery: 'individual',
  };
}

describe('announce', () => {
  let details: FakeDetails;
  let state: MemoryStateStore;
  let notifier: RecordingNotifier;
  let digests: MemoryDigestLedger;
  let deps: AnnounceDeps;

  beforeEach(() => {
    details = new FakeDetails();
    state = new MemoryStateStore();
    notifier = new RecordingNotifier();
    digests = new MemoryDigestLedger();
    deps = { details, state, notifier, clock: () => scanAt(), policy: DEFAULT_POLICY, digests };
  });

  it('enriches from the order detail and sends one alert at the tightest level', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { container: 'Web Team' }));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.sent).toHaveLength(1);
    expect(notifier.sent[0]?.event).toMatchObject({
      type: 'certificate.expiring',
      orderId: 1,
      certificateId: 900_001,
      threshold: 7,
      daysRemaining: 5,
      validTill: dayPlus(5),
      severity: 'warning',
      container: 'Web Team',
      scannedAt,
    });
    expect((await state.loadAll()).get('order#1')).toMatchObject({ announced: 7, validTill: dayPlus(5) });
  });

  it('sends nothing the second time the same candidate is processed (a retried message)', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    await announce(alertMessage(order), deps);
    const again = await announce(alertMessage(order), deps);
    expect(again.sent).toEqual([]);
    expect(again.skipped).toEqual([{ certKey: 'order#1', reason: 'already-announced' }]);
    expect(notifier.sent).toHaveLength(1);
  });

  it('sends once when two workers process the same candidate at the same time', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    await Promise.all([announce(alertMessage(order), deps), announce(alertMessage(order), deps)]);
    expect(notifier.sent).toHaveLength(1);
  });

  it('falls back to the subaccount endpoint on 404 and on 403, and names the subaccount', async () => {
    for (const status of [404, 403] as const) {
      const orderId = status;
      const order = reportOrder({ orderId, validTill: dayPlus(2) });
      details.missingStatus = status;
      const subaccount = { accountId: 123445, organizationName: 'Sub account organization' };
      details.subaccountOrders.set(orderId, orderDetail(order, { subaccount, contacts: [] }));
      const outcome = await announce(alertMessage(order), deps);
      expect(outcome.source).toBe('subaccount');
      expect(outcome.sent[0]).toMatchObject({ subaccount, threshold: 3, severity: 'critical' });
      expect(outcome.sent[0]?.contacts).toEqual([order.technicalContact]);
    }
  });

  it('skips an order that neither endpoint knows, without state', async () => {
    const order = reportOrder({ orderId: 9, validTill: dayPlus(5) });
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([{ certKey: 'order#9', reason: 'not-found' }]);
    expect((await state.loadAll()).size).toBe(0);
  });

  it('sends nothing when the detail says the order was revoked since the report', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { status: 'revoked' }));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([{ certKey: 'order#1', reason: 'no-longer-issued' }]);
    expect(notifier.sent).toEqual([]);
  });

  it("takes the detail's valid_till over the report's", async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { validTill: dayPlus(300) }));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([{ certKey: 'order#1', reason: 'not-due' }]);
    details.orders.set(1, orderDetail(order, { validTill: dayPlus(1) }));
    expect((await announce(alertMessage(order), deps)).sent[0]).toMatchObject({
      threshold: 1,
      daysRemaining: 1,
    });
  });

  it('tracks each issued duplicate as its own certificate', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    details.orders.set(1, orderDetail(order));
    const duplicate = (id: number, status: string) => ({
      id,
      status,
      commonName: `dup${id}.example.com`,
      dnsNames: [`dup${id}.example.com`],
      validTill: dayPlus(5),
    });
    details.duplicateLists.set(1, [
      duplicate(11, 'issued'),
      duplicate(12, 'rejected'),
      duplicate(13, 'issued'),
    ]);
    const outcome = await announce(alertMessage(order), deps);
    // The order's own certificate last: a scan stopped before it sees the order as due again.
    expect(outcome.sent.map((e) => [e.certificateId, e.duplicate, e.commonName])).toEqual([
      [11, true, 'dup11.example.com'],
      [13, true, 'dup13.example.com'],
      [900_001, false, order.commonName],
    ]);
    expect([...(await state.loadAll()).keys()].sort()).toEqual(['dup#11', 'dup#13', 'order#1']);
  });

  it('does not ask for duplicates when the report says there are none', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    await announce(alertMessage(order), deps);
    expect(details.calls).toEqual({ order: 1, subaccountOrder: 0, duplicates: 0 });
  });

  it('gives the claim back when the send fails, so the next attempt sends it', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    notifier.failNext = 1;
    const failed = await announce(alertMessage(order), deps);
    expect(failed.failed.map((f) => f.certKey)).toEqual(['order#1']);
    expect(notifier.sent).toEqual([]);
    const retried = await announce(alertMessage(order), deps);
    expect(retried.sent).toHaveLength(1);
  });

  it('mentions a pending renewal in the alert', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), isRenewed: true });
    details.orders.set(1, orderDetail(order));
    const outcome = await announce(alertMessage(order, { orderId: 2, status: 'pending' }), deps);
    expect(outcome.sent[0]?.renewal).toEqual({ orderId: 2, status: 'pending' });
  });

  it('sends one renewed notice without calling CertCentral, and resets the state', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), isRenewed: true });
    state = new MemoryStateStore([announced('order#1', 1, dayPlus(5), 7)]);
    deps = { ...deps, state };
    const candidate: RenewedCandidate = {
      kind: 'renewed',
      order,
      certKey: 'order#1',
      announcedValidTill: dayPlus(5),
      renewal: { orderId: 2, status: 'issued' },
    };
    const message: CandidateMessage = { candidate, scannedAt, delivery: 'individual' };
    const first = await announce(message, deps);
    expect(first.sent[0]).toMatchObject({
      type: 'certificate.renewed',
      orderId: 1,
      threshold: null,
      renewal: { orderId: 2, status: 'issued' },
      severity: 'info',
    });
    expect((await state.loadAll()).size).toBe(0);
    expect((await announce(message, deps)).sent).toEqual([]);
    expect(details.calls).toEqual({ order: 0, subaccountOrder: 0, duplicates: 0 });
  });

  it("records a digested alert for its scan's digest, and an individual one not", async () => {
    const digestedOrder = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    const individualOrder = reportOrder({ orderId: 2, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(digestedOrder));
    details.orders.set(2, orderDetail(individualOrder));

    await announce({ ...alertMessage(digestedOrder), delivery: 'digested' }, deps);
    await announce(alertMessage(individualOrder), deps);
    await digests.open(scannedAt, scanAt());

    expect(notifier.sent.map(({ event, delivery }) => [event.orderId, delivery])).toEqual([
      [1, 'digested'],
      [2, 'individual'],
    ]);
    expect((await digests.digest(scannedAt))?.alerts.map((alert) => alert.orderId)).toEqual([1]);
  });

  it('keeps a digested alert in the digest when its send fails, so people still hear of it', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    notifier.failNext = 1;

    const outcome = await announce({ ...alertMessage(order), delivery: 'digested' }, deps);

    expect(outcome.failed.map((failed) => failed.certKey)).toEqual(['order#1']);
    expect((await digests.digest(scannedAt))?.total).toBe(1);
  });
});
