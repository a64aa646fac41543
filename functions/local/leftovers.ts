/**
 * What a scan that stopped part-way (killed, crashed, out of power) left in the state store, resolved by the
 * next run before it scans:
 *
 * - **Claims** taken and neither marked sent nor released. The stopped scan may or may not have sent them; the
 *   next run gives them back and decides them again, so each is sent (again) rather than withheld: a send that
 *   was in flight when the scan stopped may reach people twice, none is lost. The claim's event is first taken
 *   out of the stopped scan's digest, so that a certificate is listed once between that digest and this run's.
 * - **Open digests**: the stopped scan's flood digest, listing what it marked sent. It is sent now.
 *
 * When the store is this run's alone (the embedded store: the state directory's lock proves that no other scan
 * is running), every claim and open digest found is a stopped scan's. On a store other scans may share
 * (`--dynamodb-endpoint`) nothing proves it, so the claim lease decides, on the wall clock: what is older than
 * the lease was left by a scan that stopped; what is younger is left to its scan and reported.
 */
import { deliverDigest } from '../core/digest.ts';
import type { AlertDigest, NotificationEvent } from '../core/model.ts';
import type { Log, Notifier } from '../core/ports.ts';
import type { HeldClaim } from '../state/dynamo-state-store.ts';
import type { RunDigestLedger } from './run-digest-ledger.ts';

export interface LeftoverDeps {
  claims: { heldClaims(): Promise<HeldClaim[]>; release(claim: HeldClaim): Promise<void> };
  digests: Pick<RunDigestLedger, 'openDigests' | 'digests' | 'close' | 'forget'>;
  notifier: Pick<Notifier, 'sendDigest'>;
  /** The store is this run's alone: whatever is left in it was left by a scan that stopped. */
  ownsStore: boolean;
  claimLeaseMs: number;
  wallClock: () => Date;
  log: Log;
}

export interface LeftoverReport {
  /** Claims of a scan that stopped, given back: this run decides them again and sends what is due. */
  released: HeldClaim[];
  /** Claims younger than the lease on a shared store, left to the scan that holds them. */
  leftToOthers: number;
  /** When the youngest of those expires: a scan after this sends what its holder did not. */
  leftUntil: Date | null;
  /** Digests of scans that stopped, sent now. */
  digestsSent: AlertDigest[];
  /** Open digests of scans that stopped whose sending failed: the next run tries again. */
  digestsFailed: number;
}

export async function resolveLeftovers(deps: LeftoverDeps): Promise<LeftoverReport> {
  const now = deps.wallClock().getTime();
  const stopped = (at: number) => deps.ownsStore || at <= now - deps.claimLeaseMs;

  const held = await deps.claims.heldClaims();
  const released = held.filter((claim) => stopped(claim.claimedAt.getTime()));
  const leftToOthers = held.filter((claim) => !stopped(claim.claimedAt.getTime()));
  const openDigests = (await deps.digests.openDigests()).filter((open) => stopped(Date.parse(open.openedAt)));

  for (const claim of released) {
    // Out of the digest first: stopped between the two, the claim is still there and the next run does both.
    if (claim.kind === 'alert') {
      for (const open of openDigests) {
        await deps.digests.forget(open.scannedAt, claim.certKey, (event) => announces(event, claim));
      }
    }
    await deps.claims.release(claim);
  }
  if (released.length > 0) {
    deps.log.warn(
      `${count(released.length, 'alert')} claimed by a scan that stopped before recording ${released.length === 1 ? 'it' : 'them'} as sent: this scan sends ${released.length === 1 ? 'it' : 'them'} again`,
    );
  }

  const leftUntil = leftToOthers.length
    ? new Date(Math.max(...leftToOthers.map((claim) => claim.claimedAt.getTime())) + deps.claimLeaseMs)
    : null;
  if (leftUntil) {
    deps.log.warn(
      `${count(leftToOthers.length, 'alert')} claimed by another scan that is running or stopped less than ${minutes(deps.claimLeaseMs)} ago: left to it; if it stopped, a scan after ${leftUntil.toISOString()} sends ${leftToOthers.length === 1 ? 'it' : 'them'}`,
    );
  }

  const digestsSent: AlertDigest[] = [];
  let digestsFailed = 0;
  for (const open of openDigests) {
    try {
      const [digest] = await deliverDigest(open.scannedAt, { ledger: deps.digests, notifier: deps.notifier });
      if (digest) {
        digestsSent.push(digest);
        deps.log.warn(
          `sent the digest of the scan at ${digest.scannedAt}, which stopped before recording it as sent (it may have gone out already): ${count(digest.total, 'alert')}`,
        );
      }
    } catch (error) {
      digestsFailed += 1;
      deps.log.error('the digest of a scan that stopped could not be sent; the next scan tries again', {
        scannedAt: open.scannedAt,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { released, leftToOthers: leftToOthers.length, leftUntil, digestsSent, digestsFailed };
}

/** The event is the announcement the claim was taken for: the same level for the same valid_till. */
function announces(event: NotificationEvent, claim: HeldClaim): boolean {
  const level = event.type === 'certificate.expired' ? 'expired' : event.threshold;
  return level === claim.level && event.validTill === claim.validTill;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} minutes`;
}
