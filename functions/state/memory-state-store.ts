/**
 * A StateStore held in memory, with the same claim rules as the DynamoDB store. `--dry-run` runs on one
 * seeded with the real state, so a dry run decides exactly like a real run and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { isTighter } from '../core/levels.ts';
import type {
  CertState,
  DetailFact,
  DuplicatesFact,
  OrderFacts,
  StateSnapshot,
  Subaccount,
} from '../core/model.ts';
import type { Mute } from '../core/mutes.ts';
import type { Claim, ClaimRequest, StateStore } from '../core/ports.ts';
import type { HeldClaim } from './dynamo-state-store.ts';

interface Held {
  state: CertState;
  claim: { claim: Claim; at: number } | null;
}

export class MemoryStateStore implements StateStore {
  private readonly items = new Map<string, Held>();
  private readonly orders = new Map<number, OrderFacts>();
  /** Read only: a dry run decides with the mutes of the real state. */
  private readonly mutes: readonly Mute[];

  constructor(
    seed: Partial<StateSnapshot> = {},
    private readonly claimLeaseMs = 900_000,
  ) {
    for (const state of seed.certificates?.values() ?? []) {
      this.items.set(state.certKey, { state: { ...state }, claim: null });
    }
    for (const facts of seed.orders?.values() ?? []) this.orders.set(facts.orderId, structuredClone(facts));
    this.mutes = structuredClone(seed.mutes ?? []);
  }

  async loadAll(): Promise<StateSnapshot> {
    return {
      certificates: new Map([...this.items].map(([key, held]) => [key, { ...held.state }])),
      orders: new Map([...this.orders].map(([orderId, facts]) => [orderId, structuredClone(facts)])),
      mutes: structuredClone(this.mutes),
    };
  }

  async recordDetail(orderId: number, detail: DetailFact): Promise<void> {
    this.orders.set(orderId, { ...this.factsOf(orderId), detail: structuredClone(detail) });
  }

  async recordDuplicates(orderId: number, listing: DuplicatesFact): Promise<void> {
    this.orders.set(orderId, { ...this.factsOf(orderId), duplicates: structuredClone(listing) });
  }

  async recordSubaccount(orderId: number, subaccount: Subaccount): Promise<void> {
    this.orders.set(orderId, { ...this.factsOf(orderId), subaccount: { ...subaccount } });
  }

  private factsOf(orderId: number): OrderFacts {
    return this.orders.get(orderId) ?? { orderId, detail: null, duplicates: null };
  }

  async claim(request: ClaimRequest, now: Date): Promise<Claim | null> {
    const held = this.items.get(request.certKey);
    if (held?.claim && now.getTime() - held.claim.at < this.claimLeaseMs) return null;
    const announced = held?.state.announced ?? null;
    const claimable =
      request.kind === 'alert'
        ? !held ||
          held.state.validTill !== request.validTill ||
          (request.level !== null && isTighter(request.level, announced))
        : held !== undefined && announced !== null && held.state.validTill === request.validTill;
    if (!claimable) return null;
    const token = randomUUID();
    const state = held?.state ?? {
      certKey: request.certKey,
      orderId: request.orderId,
      validTill: null,
      announced: null,
    };
    const claim = { ...request, token };
    this.items.set(request.certKey, { state, claim: { claim, at: now.getTime() } });
    return claim;
  }

  async markSent(claim: Claim): Promise<void> {
    const held = this.items.get(claim.certKey);
    if (held?.claim?.claim.token !== claim.token) return;
    if (claim.kind === 'renewed') {
      this.items.delete(claim.certKey);
      return;
    }
    this.items.set(claim.certKey, {
      state: {
        certKey: claim.certKey,
        orderId: claim.orderId,
        validTill: claim.validTill,
        announced: claim.level,
        ...(claim.severity === undefined ? {} : { announcedSeverity: claim.severity }),
        ...(claim.reportValidTill === undefined ? {} : { reportValidTill: claim.reportValidTill }),
      },
      claim: null,
    });
  }

  async release(claim: Claim): Promise<void> {
    const held = this.items.get(claim.certKey);
    if (held?.claim?.claim.token === claim.token) held.claim = null;
  }

  /** The claims held (taken, neither marked sent nor released), as the DynamoDB store lists them. */
  async heldClaims(): Promise<HeldClaim[]> {
    return [...this.items.values()].flatMap((held) =>
      held.claim ? [{ ...held.claim.claim, claimedAt: new Date(held.claim.at) }] : [],
    );
  }
}
