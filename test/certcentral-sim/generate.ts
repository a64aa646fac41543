/**
 * Accounts for the simulator: `generateAccount` builds a realistic account of any size from a seed (the same
 * seed gives the same account), `sampleAccount` a small hand-made one that shows every alert rule.
 */
import { type DuplicateStatus, SimAccount, type SimOrder } from './account.ts';
import {
  CONTACTS,
  CONTAINERS,
  CSRS,
  DOMAINS,
  HOST_LABELS,
  METADATA_SAMPLES,
  ORGANIZATIONS,
  PRODUCTS,
  SUBACCOUNTS,
  USERS,
} from './catalog.ts';
import { addDays, toEpochDay } from './dates.ts';
import { SimulatorInputError } from './errors.ts';

/** Shares of the account, each a fraction of the orders; the rest are plain issued orders. */
export interface AccountMix {
  /** Orders in a status other than issued (pending, revoked, rejected, canceled, …). */
  otherStatuses: number;
  /** Orders that are half of a renewal pair (old is_renewed order + its renewal). */
  renewals: number;
  /** Issued orders with one to three duplicate certificates. */
  duplicates: number;
  /** Orders placed by a subaccount. */
  subaccounts: number;
}

export const DEFAULT_MIX: AccountMix = {
  otherStatuses: 0.1,
  renewals: 0.05,
  duplicates: 0.03,
  subaccounts: 0.03,
};

export interface GenerateOptions extends Partial<AccountMix> {
  seed: number;
  /**
   * Of the orders with duplicates, the share whose issued duplicates expire before the order's own certificate
   * (capped at 199 days, issued earlier): default 0.
   */
  earlyDuplicates?: number;
  /** How many orders the account holds. */
  orders: number;
  /** `yyyy-MM-dd`: validity dates spread around it. */
  today: string;
}

/** Plain issued orders expire from 60 days ago to 400 days ahead. */
const VALID_TILL_SPREAD = { from: -60, to: 400 };
const FIRST_ORDER_ID = 100_001;
const OTHER_STATUSES = [
  'pending',
  'revoked',
  'rejected',
  'canceled',
  'needs_approval',
  'expired',
  'reissue_pending',
];
/** Other statuses whose orders still carry a certificate that is valid now or later. */
const DATED_STATUSES = new Set(['revoked', 'reissue_pending']);
const PENDING_RENEWAL_SHARE = 0.25;
/** A duplicate of a longer certificate is capped at 199 days (since 2026-02-24). */
const CAPPED_DUPLICATE_DAYS = 199;
const PENDING_SUBACCOUNT_SHARE = 0.15;
const COSTS: readonly number[] = [198, 218, 358, 399, 595];
const PRODUCT_LIST = Object.values(PRODUCTS);
/** Products for names that are not wildcards. */
const SINGLE_NAME_PRODUCTS = PRODUCT_LIST.filter((product) => product !== PRODUCTS.wildcard);
const DUPLICATE_STATUSES: readonly DuplicateStatus[] = [
  'issued',
  'issued',
  'approved',
  'pending',
  'rejected',
];

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Dice {
  constructor(private readonly random: () => number) {}

  fraction(): number {
    return this.random();
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
}

export function generateAccount(options: GenerateOptions): SimAccount {
  const mix = validMix(options);
  if (!Number.isInteger(options.orders) || options.orders < 0) {
    throw new SimulatorInputError(`orders: ${JSON.stringify(options.orders)} is not a whole number`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new SimulatorInputError(`seed: ${JSON.stringify(options.seed)} is not a whole number`);
  }
  toEpochDay(options.today, 'today');
  const earlyDuplicates = options.earlyDuplicates ?? 0;
  if (!(earlyDuplicates >= 0 && earlyDuplicates <= 1)) {
    throw new SimulatorInputError(
      `earlyDuplicates: ${JSON.stringify(earlyDuplicates)} is not a share from 0 to 1`,
    );
  }
  const generator = new OrderGenerator(
    new Dice(mulberry32(options.seed)),
    options.today,
    mix,
    earlyDuplicates,
  );
  const orders: SimOrder[] = [];
  while (orders.length < options.orders) {
    orders.push(...generator.next(FIRST_ORDER_ID + orders.length, options.orders - orders.length));
  }
  return new SimAccount(orders, options.today);
}

function validMix(options: Partial<AccountMix>): AccountMix {
  const mix: AccountMix = {
    otherStatuses: options.otherStatuses ?? DEFAULT_MIX.otherStatuses,
    renewals: options.renewals ?? DEFAULT_MIX.renewals,
    duplicates: options.duplicates ?? DEFAULT_MIX.duplicates,
    subaccounts: options.subaccounts ?? DEFAULT_MIX.subaccounts,
  };
  for (const [name, share] of Object.entries(mix)) {
    if (!(share >= 0 && share <= 1)) {
      throw new SimulatorInputError(`${name}: ${JSON.stringify(share)} is not a share from 0 to 1`);
    }
  }
  const total = mix.otherStatuses + mix.renewals + mix.duplicates + mix.subaccounts;
  if (total > 1) throw new SimulatorInputError(`the shares of the mix add up to ${total}, more than 1`);
  return mix;
}

type CertificateDates = Pick<SimOrder, 'validFrom' | 'validTill' | 'dateCreated'>;

type OrderKind = 'plain' | 'otherStatus' | 'renewalPair' | 'duplicates' | 'subaccount';

/**
 * Draw probabilities that give the mix's shares of *orders*: a renewal draw yields two orders, so with
 * pair probability p the orders in pairs are 2p / (1 + p) of the account, and every other share is scaled
 * by 1 + p.
 */
function drawWeights(mix: AccountMix): [OrderKind, number][] {
  const pair = mix.renewals / (2 - mix.renewals);
  return [
    ['renewalPair', pair],
    ['otherStatus', mix.otherStatuses * (1 + pair)],
    ['duplicates', mix.duplicates * (1 + pair)],
    ['subaccount', mix.subaccounts * (1 + pair)],
  ];
}

class OrderGenerator {
  private lastCertificateId = 500_000;
  private readonly weights: [OrderKind, number][];

  constructor(
    private readonly dice: Dice,
    private readonly today: string,
    mix: AccountMix,
    private readonly earlyDuplicates = 0,
  ) {
    this.weights = drawWeights(mix);
  }

  /** One order, or two for a renewal pair (when `room` allows). */
  next(id: number, room: number): SimOrder[] {
    switch (this.drawKind(room)) {
      case 'renewalPair':
        return this.renewalPair(id);
      case 'otherStatus':
        return [this.otherStatus(id)];
      case 'duplicates':
        return [this.withDuplicates(id)];
      case 'subaccount':
        return [this.subaccountOrder(id)];
      case 'plain':
        return [this.issued(id, this.dayFromToday(VALID_TILL_SPREAD.from, VALID_TILL_SPREAD.to))];
    }
  }

  private drawKind(room: number): OrderKind {
    let roll = this.dice.fraction();
    for (const [kind, weight] of this.weights) {
      if (roll < weight) return kind === 'renewalPair' && room < 2 ? 'plain' : kind;
      roll -= weight;
    }
    return 'plain';
  }

  private renewalPair(id: number): SimOrder[] {
    const previous = this.issued(id, this.dayFromToday(-30, 90));
    previous.isRenewed = true;
    const pending = this.dice.chance(PENDING_RENEWAL_SHARE);
    const renewal: SimOrder = {
      ...previous,
      id: id + 1,
      certificateId: this.nextCertificateId(),
      dnsNames: [...previous.dnsNames],
      metadata: [...previous.metadata],
      status: pending ? 'pending' : 'issued',
      ...(pending
        ? this.undated()
        : this.dated(addDays(previous.validTill as string, this.dice.int(360, 397)))),
      isRenewed: false,
      renewedOrderId: id,
      duplicates: [],
    };
    return [previous, renewal];
  }

  private otherStatus(id: number): SimOrder {
    const status = this.dice.pick(OTHER_STATUSES);
    const order = this.issued(id, this.dayFromToday(-400, -1));
    order.status = status;
    if (DATED_STATUSES.has(status)) Object.assign(order, this.dated(this.dayFromToday(-60, 400)));
    else if (status !== 'expired') Object.assign(order, this.undated());
    return order;
  }

  private withDuplicates(id: number): SimOrder {
    const order = this.issued(id, this.dayFromToday(VALID_TILL_SPREAD.from, VALID_TILL_SPREAD.to));
    const count = this.dice.int(1, 3);
    // Only drawn when asked for, so that accounts generated without it stay as they were.
    const early = this.earlyDuplicates > 0 && this.dice.chance(this.earlyDuplicates);
    for (let n = 0; n < count; n += 1) {
      const status = this.dice.pick(DUPLICATE_STATUSES);
      const certified = status === 'issued' || status === 'approved';
      const validTill = early
        ? addDays(order.validTill as string, -this.dice.int(20, 200))
        : (order.validTill as string);
      const validFrom = early ? addDays(validTill, -CAPPED_DUPLICATE_DAYS) : (order.validFrom as string);
      order.duplicates.push({
        id: this.nextCertificateId(),
        status,
        commonName: order.commonName,
        dnsNames: [...order.dnsNames],
        dateCreated: this.timestamp(validFrom),
        validFrom: certified ? validFrom : null,
        validTill: certified ? validTill : null,
      });
    }
    return order;
  }

  private subaccountOrder(id: number): SimOrder {
    const order = this.issued(id, this.dayFromToday(VALID_TILL_SPREAD.from, VALID_TILL_SPREAD.to));
    order.subaccount = this.dice.pick(SUBACCOUNTS);
    if (this.dice.chance(PENDING_SUBACCOUNT_SHARE))
      Object.assign(order, { status: 'pending', ...this.undated() });
    return order;
  }

  private issued(id: number, validTill: string): SimOrder {
    const product = this.dice.pick(PRODUCT_LIST);
    const domain = this.dice.pick(DOMAINS);
    const commonName = product === PRODUCTS.wildcard ? `*.${domain}` : this.hostIn(domain);
    const dnsNames =
      product === PRODUCTS.multiDomain
        ? [commonName, ...Array.from({ length: this.dice.int(1, 3) }, () => this.hostIn(domain))]
        : [commonName];
    return {
      id,
      status: 'issued',
      reportStatus: null,
      commonName,
      dnsNames: [...new Set(dnsNames)],
      ...this.dated(validTill),
      certificateId: this.nextCertificateId(),
      validityYears: 1,
      container: this.dice.pick(CONTAINERS),
      organization: this.dice.pick(ORGANIZATIONS),
      product,
      technicalContact: this.dice.pick(CONTACTS),
      user: this.dice.pick(USERS),
      isRenewed: false,
      renewedOrderId: null,
      duplicates: [],
      subaccount: null,
      autoRenew: 0,
      disableRenewalNotifications: false,
      plan: null,
      inReport: true,
      csr: this.dice.pick(CSRS),
      metadata: [...this.dice.pick(METADATA_SAMPLES)],
      cost: this.dice.pick(COSTS),
    };
  }

  private dated(validTill: string): CertificateDates {
    const validFrom = addDays(validTill, -this.dice.int(365, 397));
    return {
      validFrom,
      validTill,
      dateCreated: this.timestamp(addDays(validFrom, -this.dice.int(0, 2))),
    };
  }

  private undated(): CertificateDates {
    return {
      validFrom: null,
      validTill: null,
      dateCreated: this.timestamp(this.dayFromToday(-20, 0)),
    };
  }

  private hostIn(domain: string): string {
    const label = this.dice.pick(HOST_LABELS);
    return this.dice.chance(0.5) ? `${label}.${domain}` : `${label}${this.dice.int(1, 40)}.${domain}`;
  }

  private dayFromToday(from: number, to: number): string {
    return addDays(this.today, this.dice.int(from, to));
  }

  /** `yyyy-MM-dd HH:mm:ss` on `date` at a random time of day. */
  private timestamp(date: string): string {
    const seconds = this.dice.int(0, 86_399);
    const time = new Date(seconds * 1000).toISOString().slice(11, 19);
    return `${date} ${time}`;
  }

  private nextCertificateId(): number {
    this.lastCertificateId += 1;
    return this.lastCertificateId;
  }
}

/** Issued certificates of the sample account, by days left on its `today`. */
const SAMPLE_SITES: readonly [commonName: string, daysLeft: number][] = [
  ['www.example.com', 95],
  ['shop.example.com', 61],
  ['api.example.com', 45],
  ['mail.example.net', 30],
  ['vpn.example.net', 20],
  ['*.intranet.example.org', 14],
  ['portal.example.org', 10],
  ['billing.example.com', 7],
  ['sso.example.com', 5],
  ['status.example.com', 3],
  ['grafana.example.net', 1],
  ['payments.example.com', 0],
  ['docs.example.org', -1],
  ['git.example.net', -20],
  ['legacy.example.com', -40],
];

/**
 * A hand-made account of 25 orders for the demo: certificates at every alert level, a renewed one, one
 * whose renewal is pending, one with duplicates, a subaccount order, revoked and pending orders.
 */
export function sampleAccount(today: string): SimAccount {
  const account = new SimAccount([], today);
  const day = (daysLeft: number): string => addDays(today, daysLeft);
  const nth = <T>(items: readonly T[], n: number): T => items[n % items.length] as T;
  const site = (commonName: string, daysLeft: number | null, fields: Partial<SimOrder> = {}): SimOrder => {
    const n = account.size;
    return account.addOrder({
      commonName,
      dnsNames: commonName.startsWith('*.') ? [commonName] : [commonName, `alt.${commonName}`],
      validTill: daysLeft === null ? null : day(daysLeft),
      product: commonName.startsWith('*.') ? PRODUCTS.wildcard : nth(SINGLE_NAME_PRODUCTS, n),
      container: nth(CONTAINERS, n),
      organization: nth(ORGANIZATIONS, n),
      technicalContact: nth(CONTACTS, n),
      user: nth(USERS, n),
      csr: nth(CSRS, n),
      metadata: [...nth(METADATA_SAMPLES, n)],
      ...fields,
    });
  };

  for (const [commonName, daysLeft] of SAMPLE_SITES) site(commonName, daysLeft);

  account.renew(site('cdn.example.com', 12).id, { status: 'issued', validTill: day(377) });
  account.renew(site('auth.example.org', 8).id, { status: 'pending' });

  const withDuplicates = site('static.example.com', 9);
  account.addDuplicate(withDuplicates.id, { status: 'issued' });
  account.addDuplicate(withDuplicates.id, { status: 'pending' });

  site('partner.example.net', 4, { subaccount: nth(SUBACCOUNTS, 0) });
  site('old-api.example.com', 6, { status: 'revoked' });
  account.revoke(site('checkout.example.com', 2).id, { reportLags: true });
  site('new-site.example.com', null, { status: 'pending' });
  site('marketing.example.org', null, { status: 'needs_approval' });
  return account;
}
