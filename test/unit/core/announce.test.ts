import { beforeEach, describe, expect, it } from 'vitest';
import { type AnnounceDeps, announce, type CandidateMessage } from '../../../functions/core/announce.ts';
import type {
  AlertCandidate,
  DuplicatesCandidate,
  RenewedCandidate,
} from '../../../functions/core/candidates.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import { EUROPE_CONSOLE_URL, US_CONSOLE_URL } from '../../../functions/core/console-links.ts';
import type { DuplicateCertificate, ReportOrder } from '../../../functions/core/model.ts';
import { MemoryDigestLedger } from '../../../functions/state/memory-digest-ledger.ts';
import { MemoryStateStore } from '../../../functions/state/memory-state-store.ts';
import { announced, dayPlus, orderDetail, reportOrder, scanAt } from '../../support/factories.ts';
import { FakeDetails, RecordingNotifier } from '../../support/fakes.ts';

const scannedAt = scanAt().toISOString();

function alertMessage(order: ReportOrder, renewal: AlertCandidate['renewal'] = null): CandidateMessage {
  return {
    candidate: {
      kind: 'alert',
      order,
      due: [{ certKey: `order#${order.orderId}`, level: 7, daysRemaining: 5 }],
      renewal,
      rememberedPlan: null,
      announced: [],
    },
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
    deps = {
      details,
      state,
      notifier,
      clock: () => scanAt(),
      policy: DEFAULT_POLICY,
      digests,
      consoleUrl: US_CONSOLE_URL,
    };
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
    expect((await state.loadAll()).certificates.get('order#1')).toMatchObject({
      announced: 7,
      validTill: dayPlus(5),
    });
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

  it('skips an order that neither endpoint knows, claims nothing, and remembers the answer', async () => {
    const order = reportOrder({ orderId: 9, validTill: dayPlus(5) });
    const outcome = await announce(alertMessage(order), deps);
    const after = await state.loadAll();
    expect(outcome.skipped).toEqual([{ certKey: 'order#9', reason: 'not-found' }]);
    expect(after.certificates.size).toBe(0);
    expect(after.orders.get(9)?.detail).toMatchObject({
      fingerprint: order.fingerprint,
      status: 'not-found',
    });
  });

  it('sends nothing when the detail says the order was revoked since the report', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { status: 'revoked' }));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([{ certKey: 'order#1', reason: 'no-longer-issued' }]);
    expect(notifier.sent).toEqual([]);
    expect((await state.loadAll()).orders.get(1)?.detail).toMatchObject({
      fingerprint: order.fingerprint,
      status: 'revoked',
      checkedAt: scanAt().toISOString(),
    });
  });

  it('sends the alert when the detail says a reissue is pending: the current certificate is still live', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), status: 'reissue_pending' });
    details.orders.set(1, orderDetail(order));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([]);
    expect(outcome.sent[0]).toMatchObject({ threshold: 7, status: 'reissue_pending', validTill: dayPlus(5) });
  });

  it('sends the alert when the report says issued and the detail says reissue_pending', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { status: 'reissue_pending' }));
    expect((await announce(alertMessage(order), deps)).sent).toHaveLength(1);
  });

  it('sends nothing when the detail says renewal notices are switched off', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order, { disableRenewalNotifications: true }));
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.skipped).toEqual([{ certKey: 'order#1', reason: 'notifications-off' }]);
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
      validFrom: dayPlus(-190),
      validTill: dayPlus(5),
    });
    details.duplicateLists.set(1, [
      duplicate(11, 'issued'),
      duplicate(12, 'rejected'),
      duplicate(13, 'issued'),
    ]);
    const outcome = await announce(alertMessage(order), deps);
    expect(outcome.sent.map((e) => [e.certificateId, e.duplicate, e.commonName])).toEqual([
      [900_001, false, order.commonName],
      [11, true, 'dup11.example.com'],
      [13, true, 'dup13.example.com'],
    ]);
    expect([...(await state.loadAll()).certificates.keys()].sort()).toEqual(['dup#11', 'dup#13', 'order#1']);
  });

  it("announces the order's own certificate when the key may not list its duplicates, and says so", async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
    details.orders.set(1, orderDetail(order));
    details.refusedListings.add(1);

    const outcome = await announce(alertMessage(order), deps);

    expect(outcome.duplicatesRefused).toBe(true);
    expect(outcome.failed).toEqual([]);
    expect(notifier.sent.map(({ event }) => [event.certificateId, event.duplicate])).toEqual([
      [900_001, false],
    ]);
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

  it('links every alert to its order in the console of the configured region', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));

    await announce(alertMessage(order), { ...deps, consoleUrl: EUROPE_CONSOLE_URL });

    expect(notifier.sent[0]?.event).toMatchObject({
      orderUrl: 'https://certcentral.digicert.eu/secure/orders/1',
      test: false,
    });
  });

  it('keeps the severity of the alert it marks sent, for the renewed notice to come', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(2) });
    details.orders.set(1, orderDetail(order));
    const message = alertMessage(order);
    if (message.candidate.kind === 'alert')
      message.candidate.due = [{ certKey: 'order#1', level: 3, daysRemaining: 2 }];

    await announce(message, deps);

    expect(notifier.sent[0]?.event.severity).toBe('critical');
    expect((await state.loadAll()).certificates.get('order#1')).toMatchObject({
      announced: 3,
      announcedSeverity: 'critical',
    });
  });

  it("sends one renewed notice without calling CertCentral, with the last alert's severity, and resets the state", async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5), isRenewed: true });
    state = new MemoryStateStore({
      certificates: new Map([['order#1', announced('order#1', 1, dayPlus(5), 7)]]),
    });
    deps = { ...deps, state };
    const candidate: RenewedCandidate = {
      kind: 'renewed',
      order,
      certKey: 'order#1',
      announcedValidTill: dayPlus(5),
      renewal: { orderId: 2, status: 'issued' },
      severity: 'critical',
    };
    const message: CandidateMessage = { candidate, scannedAt, delivery: 'individual' };
    const first = await announce(message, deps);
    expect(first.sent[0]).toMatchObject({
      type: 'certificate.renewed',
      orderId: 1,
      threshold: null,
      renewal: { orderId: 2, status: 'issued' },
      severity: 'critical',
      orderUrl: 'https://www.digicert.com/secure/orders/2',
    });
    expect((await state.loadAll()).certificates.size).toBe(0);
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
    const [digest] = await digests.digests(scannedAt);
    expect(digest?.alerts.map((alert) => alert.orderId)).toEqual([1]);
  });

  it('keeps a digested alert in the digest when its send fails, so people still hear of it', async () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
    details.orders.set(1, orderDetail(order));
    notifier.failNext = 1;

    const outcome = await announce({ ...alertMessage(order), delivery: 'digested' }, deps);

    expect(outcome.failed.map((failed) => failed.certKey)).toEqual(['order#1']);
    expect((await digests.digests(scannedAt))[0]?.total).toBe(1);
  });

  describe('duplicates with their own dates', () => {
    const order = reportOrder({ orderId: 1, validTill: dayPlus(100), hasDuplicates: true });
    const duplicate = (id: number, left: number, status = 'issued'): DuplicateCertificate => ({
      id,
      status,
      commonName: `dup${id}.example.com`,
      dnsNames: [`dup${id}.example.com`],
      validFrom: dayPlus(left - 199),
      validTill: dayPlus(left),
    });
    const listingMessage = (
      reason: DuplicatesCandidate['reason'],
      announcedBefore: DuplicatesCandidate['announced'] = [],
    ): CandidateMessage => ({
      candidate: { kind: 'duplicates', order, reason, renewal: null, announced: announcedBefore },
      scannedAt,
      delivery: 'individual',
    });

    it("a listing with nothing due costs one call and is remembered with each duplicate's dates", async () => {
      details.duplicateLists.set(1, [duplicate(11, 150), duplicate(12, 6, 'revoked')]);

      const outcome = await announce(listingMessage('first'), deps);

      expect(outcome.sent).toEqual([]);
      expect(details.calls).toEqual({ order: 0, subaccountOrder: 0, duplicates: 1 });
      expect((await state.loadAll()).orders.get(1)?.duplicates).toEqual({
        fingerprint: order.fingerprint,
        listedAt: scanAt().toISOString(),
        certificates: [
          {
            id: 11,
            status: 'issued',
            commonName: 'dup11.example.com',
            validFrom: dayPlus(-49),
            validTill: dayPlus(150),
          },
          {
            id: 12,
            status: 'revoked',
            commonName: 'dup12.example.com',
            validFrom: dayPlus(-193),
            validTill: dayPlus(6),
          },
        ],
      });
    });

    it('a listing that finds a duplicate due asks for the detail and announces only the duplicate', async () => {
      details.orders.set(1, orderDetail(order));
      details.duplicateLists.set(1, [duplicate(11, 6)]);

      const outcome = await announce(listingMessage('refresh'), deps);

      expect(
        outcome.sent.map((event) => [event.certificateId, event.duplicate, event.threshold, event.validTill]),
      ).toEqual([[11, true, 7, dayPlus(6)]]);
      expect(details.calls).toEqual({ order: 1, subaccountOrder: 0, duplicates: 1 });
    });

    it('a listing skips a duplicate already announced at that level without asking for the detail', async () => {
      details.duplicateLists.set(1, [duplicate(11, 6)]);

      const outcome = await announce(
        listingMessage('refresh', [announced('dup#11', 1, dayPlus(6), 7)]),
        deps,
      );

      expect(outcome.sent).toEqual([]);
      expect(details.calls.order).toBe(0);
    });

    it('an alert candidate claims only the certificates still due', async () => {
      const due = reportOrder({ orderId: 1, validTill: dayPlus(5), hasDuplicates: true });
      details.orders.set(1, orderDetail(due));
      details.duplicateLists.set(1, [{ ...duplicate(11, 5), validFrom: dayPlus(-300) }]);
      const message = alertMessage(due);
      if (message.candidate.kind !== 'alert') throw new Error('an alert candidate');
      message.candidate.announced = [announced('dup#11', 1, dayPlus(5), 7)];

      const outcome = await announce(message, deps);

      expect(outcome.sent.map((event) => event.certificateId)).toEqual([900_001]);
      expect(outcome.skipped).toEqual([]);
    });
  });

  describe('Multi-year Plans and automation', () => {
    const plan = { multiYear: true, orderValidTill: dayPlus(600), autoRenew: 0, autoReissue: false };

    it('says reissue while the plan covers past the certificate, with the plan in the event', async () => {
      const order = reportOrder({ orderId: 1, validTill: dayPlus(5) });
      details.orders.set(1, orderDetail(order, { plan }));

      const outcome = await announce(alertMessage(order), deps);

      expect(outcome.sent[0]).toMatchObject({ action: 'reissue', plan });
    });

    it("says renew without a plan, and carries the report's auto_renew", async () => {
      const order = reportOrder({ orderId: 1, validTill: dayPlus(5), autoRenew: 2 });
      details.orders.set(1, orderDetail(order));

      const outcome = await announce(alertMessage(order), deps);

      expect(outcome.sent[0]).toMatchObject({
        action: 'renew',
        plan: { multiYear: false, orderValidTill: null, autoRenew: 2, autoReissue: false },
      });
    });

    it('with auto-reissue on, holds the 30-day alert and remembers the plan so the scans stop asking', async () => {
      const order = reportOrder({ orderId: 1, validTill: dayPlus(25) });
      const automated = { ...plan, autoReissue: true };
      details.orders.set(1, orderDetail(order, { plan: automated }));

      const outcome = await announce(alertMessage(order), deps);

      expect(outcome.sent).toEqual([]);
      expect(outcome.skipped).toEqual([{ certKey: 'order#1', reason: 'not-due' }]);
      expect((await state.loadAll()).orders.get(1)?.detail).toMatchObject({
        status: 'issued',
        plan: automated,
      });
    });
  });
});
