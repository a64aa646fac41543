/**
 * Which thresholds apply to one certificate, and its alert level: DESIGN.md's `T_c`. A threshold applies when it
 * is at most `thresholdLifetimeFraction` of the certificate's lifetime, and, for a certificate DigiCert renews or
 * reissues by itself, when it is below `automationLeadDays`. The smallest threshold (and `expired`) always apply.
 */
import type { AlertPolicy } from './config.ts';
import { alertLevel, daysRemaining, epochDay } from './levels.ts';
import type { AlertLevel, CertificateAction, Plan } from './model.ts';

/** The dates and automation that decide a certificate's thresholds. */
export interface CertificateTerms {
  validFrom: string | null;
  validTill: string;
  /** DigiCert renews or reissues it by itself (auto-renew, or a Multi-year Plan's auto-reissue). */
  automated: boolean;
}

type ThresholdPolicy = Pick<AlertPolicy, 'thresholds' | 'thresholdLifetimeFraction' | 'automationLeadDays'>;

/** The certificate's lifetime in days, or null without a usable `valid_from`. */
export function lifetimeDays(terms: Pick<CertificateTerms, 'validFrom' | 'validTill'>): number | null {
  if (terms.validFrom === null) return null;
  const from = epochDay(terms.validFrom);
  const till = epochDay(terms.validTill);
  return from === null || till === null || till <= from ? null : till - from;
}

/** `T_c`, widest first. */
export function applicableThresholds(policy: ThresholdPolicy, terms: CertificateTerms): number[] {
  if (policy.thresholds.length === 0) return [];
  const smallest = Math.min(...policy.thresholds);
  const lifetime = lifetimeDays(terms);
  return policy.thresholds.filter(
    (threshold) =>
      threshold === smallest ||
      ((lifetime === null || threshold <= policy.thresholdLifetimeFraction * lifetime) &&
        (!terms.automated || threshold < policy.automationLeadDays)),
  );
}

export interface CertificateLevel {
  daysRemaining: number;
  /** Null: nothing to announce (outside every applicable threshold, or expired beyond the look-back). */
  level: AlertLevel | null;
}

export function certificateLevel(
  policy: ThresholdPolicy & Pick<AlertPolicy, 'expiredLookbackDays'>,
  terms: CertificateTerms,
  scannedAt: Date,
): CertificateLevel {
  const days = daysRemaining(terms.validTill, scannedAt);
  const thresholds = applicableThresholds(policy, terms);
  return {
    daysRemaining: days,
    level: alertLevel(days, { thresholds, expiredLookbackDays: policy.expiredLookbackDays }),
  };
}

/** `reissue` when a Multi-year Plan covers past `validTill` (nothing to buy), else `renew`. */
export function actionFor(plan: Plan, validTill: string): CertificateAction {
  if (!plan.multiYear || plan.orderValidTill === null) return 'renew';
  return (epochDay(plan.orderValidTill) ?? 0) > (epochDay(validTill) ?? 0) ? 'reissue' : 'renew';
}

/**
 * Whether DigiCert acts on the order's own certificate by itself: auto-renew is on, or a Multi-year Plan with
 * auto-reissue covers past it. (Duplicates are never renewed or reissued by DigiCert's automation.)
 */
export function isAutomated(plan: Plan, validTill: string): boolean {
  return plan.autoRenew > 0 || (plan.autoReissue && actionFor(plan, validTill) === 'reissue');
}
