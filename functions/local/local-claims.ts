/**
 * The state store as the local alert stage uses it:
 *
 * - a claim's lease is taken on the wall clock, never on `--now`: a rerun with the same `--now` after a crash
 *   would otherwise find the crashed run's claims live forever;
 * - a claim given back (a send that failed) first takes its event out of this run's digest, so the next
 *   attempt, which sends the alert, is the one that lists it;
 * - the claims in flight are counted, and the alerts marked sent are reported (`onMarkedSent`).
 */
import type { DetailFact, DuplicatesFact, StateSnapshot, Subaccount } from '../core/model.ts';
import type { Claim, ClaimRequest, StateStore } from '../core/ports.ts';

export interface LocalClaimsOptions {
  wallClock: () => Date;
  /** Takes the certificate's event out of this run's digest. */
  forget?: (certKey: string) => Promise<void>;
  onMarkedSent?: (claim: Claim) => void;
}

export class LocalClaims implements StateStore {
  private held = 0;

  constructor(
    private readonly inner: StateStore,
    private readonly options: LocalClaimsOptions,
  ) {}

  /** Claims taken and not yet marked sent or released: the sends in flight. */
  get inFlight(): number {
    return this.held;
  }

  loadAll(): Promise<StateSnapshot> {
    return this.inner.loadAll();
  }

  recordDetail(orderId: number, detail: DetailFact, keepUntil: string): Promise<void> {
    return this.inner.recordDetail(orderId, detail, keepUntil);
  }

  recordDuplicates(orderId: number, listing: DuplicatesFact, keepUntil: string): Promise<void> {
    return this.inner.recordDuplicates(orderId, listing, keepUntil);
  }

  recordSubaccount(orderId: number, subaccount: Subaccount, keepUntil: string): Promise<void> {
    return this.inner.recordSubaccount(orderId, subaccount, keepUntil);
  }

  async claim(request: ClaimRequest, _scanNow: Date): Promise<Claim | null> {
    const claim = await this.inner.claim(request, this.options.wallClock());
    if (claim) this.held += 1;
    return claim;
  }

  async markSent(claim: Claim, now: Date): Promise<void> {
    await this.inner.markSent(claim, now);
    this.held -= 1;
    this.options.onMarkedSent?.(claim);
  }

  async release(claim: Claim): Promise<void> {
    await this.options.forget?.(claim.certKey);
    await this.inner.release(claim);
    this.held -= 1;
  }
}
