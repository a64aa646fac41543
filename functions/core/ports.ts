/**
 * The ports the core needs. The core owns these interfaces; adapters (CertCentral over HTTP, DynamoDB,
 * SNS, Slack, the console) implement them, and tests wire fakes or real local servers to them.
 */
import type {
  AlertDigest,
  AlertLevel,
  Delivery,
  DetailFact,
  DuplicateCertificate,
  DuplicatesFact,
  NotificationEvent,
  OrderLookup,
  ReportRecord,
  Severity,
  StateSnapshot,
  Subaccount,
} from './model.ts';
import type { Mute } from './mutes.ts';

export type Clock = () => Date;

/** Structured log sink (Powertools Logger and the CLI's stderr logger both fit). Never pass secrets. */
export interface Log {
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** The order report, as a stream of validated rows and skipped rows. */
export interface ReportSource {
  records(): AsyncIterable<ReportRecord>;
}

/**
 * The CertCentral order-detail endpoints. `order`/`subaccountOrder` answer `found: false` for 404 and for a
 * 403 that is not a refused key. A refused key (401, 403 access_denied_invalid_key) throws
 * `CertCentralKeyRefusedError`; anything still failing after retries throws `CertCentralError`.
 */
export interface OrderDetailSource {
  order(orderId: number): Promise<OrderLookup>;
  subaccountOrder(orderId: number): Promise<OrderLookup>;
  /** The order's duplicate certificates; none for an order CertCentral does not know (404), null when the key may not list them (403). */
  duplicates(orderId: number): Promise<DuplicateCertificate[] | null>;
}

export interface ClaimRequest {
  certKey: string;
  orderId: number;
  /** `alert`: announce `level` for `validTill`. `renewed`: announce that the announced `validTill` was renewed. */
  kind: 'alert' | 'renewed';
  /** The level to announce (`alert`), null for `renewed`. */
  level: AlertLevel | null;
  /** `alert`: the certificate's current valid_till. `renewed`: the valid_till that had been announced. */
  validTill: string;
  /** `alert`: the alert's severity, kept with the announcement for the renewed notice to come. */
  severity?: Severity;
  /**
   * `alert`: the valid_till the scan has for the certificate (the report row's; `CertState.reportValidTill`),
   * kept with the announcement: `validTill` is the order detail's, and the two may differ.
   */
  reportValidTill?: string;
}

export interface Claim extends ClaimRequest {
  token: string;
}

/** Per-certificate announcement state with exactly-once claims. */
export interface StateStore {
  /** Everything the store knows (certificates and order facts), read in pages. */
  loadAll(): Promise<StateSnapshot>;
  /**
   * Conditional write that takes the right to announce. Returns null when the level (or a tighter one) is
   * already announced for that valid_till, when a `renewed` claim no longer matches the stored state, or when
   * another scan holds an unexpired claim on the certificate.
   */
  claim(request: ClaimRequest, now: Date): Promise<Claim | null>;
  /** Records the claimed announcement as sent. For `renewed`, the certificate's state is reset. */
  markSent(claim: Claim, now: Date): Promise<void>;
  /** Gives a claim back after a failed send, so that the next scan sends it. */
  release(claim: Claim): Promise<void>;
  /**
   * Remembers what the order detail said, for the order's current report row (`detail.fingerprint`); kept until
   * a while after `keepUntil` (the order's valid_till).
   */
  recordDetail(orderId: number, detail: DetailFact, keepUntil: string): Promise<void>;
  /** Remembers the order's duplicates listing, likewise. */
  recordDuplicates(orderId: number, listing: DuplicatesFact, keepUntil: string): Promise<void>;
  /** Remembers the subaccount an order belongs to (for `list` and the weekly summary), likewise. */
  recordSubaccount(orderId: number, subaccount: Subaccount, keepUntil: string): Promise<void>;
}

/** Mutes, kept in the state table beside the certificates they silence (`mutes.ts`). */
export interface MuteStore {
  /** Records a mute, replacing the one the same order or certificate had. */
  putMute(mute: Mute): Promise<void>;
  /** Ends the active mute of the order (or of one duplicate); null when there is none. */
  endMute(orderId: number, certificateId: number | null, at: Date, endedBy: string): Promise<Mute | null>;
  /** Every mute held, active and ended. */
  mutes(): Promise<Mute[]>;
}

/** Where alerts go: the console, SNS, Slack. */
export interface Notifier {
  send(event: NotificationEvent, delivery: Delivery): Promise<void>;
  sendDigest(digest: AlertDigest): Promise<void>;
}
