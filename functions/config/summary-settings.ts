/**
 * The weekly summary's window: a CDK context key that reaches the summary function through its environment.
 * (Its schedule, `summarySchedule`, is the stack's alone: `infra/config.ts`.)
 */
import { DEFAULT_WITHIN_DAYS } from '../core/overview.ts';
import { type SettingGroup, wholeNumberSetting } from './setting.ts';

export const SUMMARY_WINDOW_SETTINGS = {
  summaryWithinDays: wholeNumberSetting({
    meaning:
      'The weekly summary lists the certificates expiring within this many days (1-365), and those expired within `expiredLookbackDays`.',
    default: DEFAULT_WITHIN_DAYS,
    min: 1,
    max: 365,
    context: 'summaryWithinDays',
    lambdaEnv: 'SUMMARY_WITHIN_DAYS',
    example: '-c summaryWithinDays=45',
  }),
} satisfies SettingGroup;
