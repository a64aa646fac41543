/**
 * The account at a glance, counted by the scan as it streams the report: how many watched certificates (orders'
 * own and their duplicates) have expired (within the look-back) or expire within 7, 30 and 90 days, and how many
 * are muted. The dashboard graphs these, one data point per scan.
 *
 * The bands are cumulative, as people ask ("how many expire within 30 days?"): a certificate with 5 days left
 * counts in `within7`, `within30` and `within90`. Orders whose renewal turns out issued are taken out at the end
 * (the renewal's report row may come after the order's).
 */
import type { AlertPolicy } from './config.ts';
import { daysRemaining } from './levels.ts';
import type { ActiveMutes } from './mutes.ts';

export interface CertificateBands {
  /** Expired within the look-back (`expiredLookbackDays`); older lapses are history. */
  expired: number;
  within7: number;
  within30: number;
  within90: number;
}

export interface Census {
  bands: CertificateBands;
  /** Watched certificates under an active mute, whatever their days left. */
  muted: number;
}

/** The widest band, in days. */
const WIDEST_BAND = 90;

/** One certificate as the census needs it. */
export interface CensusCertificate {
  certKey: string;
  validTill: string;
}

export class CensusCounter {
  /** Per order: the days left of its certificates that fall in a band, and how many are muted. */
  private readonly byOrder = new Map<number, { days: number[]; muted: number }>();

  constructor(
    private readonly policy: Pick<AlertPolicy, 'expiredLookbackDays'>,
    private readonly scannedAt: Date,
    private readonly mutes: ActiveMutes,
  ) {}

  /** A watched order's certificates. */
  add(orderId: number, certificates: readonly CensusCertificate[]): void {
    const days: number[] = [];
    let muted = 0;
    for (const certificate of certificates) {
      if (this.mutes.muteOf(orderId, certificate.certKey)) muted += 1;
      const left = daysRemaining(certificate.validTill, this.scannedAt);
      if (left <= WIDEST_BAND && left >= -this.policy.expiredLookbackDays) days.push(left);
    }
    if (days.length > 0 || muted > 0) this.byOrder.set(orderId, { days, muted });
  }

  /** The counts, leaving out the orders `renewed` says have an issued renewal. */
  finish(renewed: (orderId: number) => boolean): Census {
    const bands: CertificateBands = { expired: 0, within7: 0, within30: 0, within90: 0 };
    let muted = 0;
    for (const [orderId, entry] of this.byOrder) {
      if (renewed(orderId)) continue;
      muted += entry.muted;
      for (const left of entry.days) {
        if (left < 0) {
          bands.expired += 1;
          continue;
        }
        if (left <= 7) bands.within7 += 1;
        if (left <= 30) bands.within30 += 1;
        bands.within90 += 1;
      }
    }
    return { bands, muted };
  }
}
