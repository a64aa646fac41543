import { describe, expect, it } from 'vitest';
import { fromContext, fromLambdaEnvironment, readSettings } from '../../../functions/config/setting.ts';
import { POLICY_SETTINGS } from '../../../functions/config/shared-settings.ts';
import { DEFAULT_POLICY } from '../../../functions/core/config.ts';
import { fromFlags } from '../../../functions/local/cli-settings.ts';
import { refusal } from '../../support/refusal.ts';

/** The ConfigError `read` throws. */
const readers = {
  context: (key: string, value: unknown) =>
    readSettings(
      POLICY_SETTINGS,
      fromContext((asked) => (asked === key ? value : undefined)),
    ),
  flag: (flag: string, value: unknown) => readSettings(POLICY_SETTINGS, fromFlags({ [flag]: value }, {})),
  lambda: (variable: string, value: string) =>
    readSettings(POLICY_SETTINGS, fromLambdaEnvironment({ [variable]: value })),
};

describe('a setting shared by the CDK context, the command and the Lambda environment', () => {
  it.each([
    ['thresholds', 'thresholds', 'THRESHOLDS', '30,7,30', 'has 30 more than once'],
    ['thresholds', 'thresholds', 'THRESHOLDS', '30,x', 'has "x", which is not a whole number'],
    ['expiredLookbackDays', 'expiredLookbackDays', 'EXPIRED_LOOKBACK_DAYS', '3651', 'from 0 to 3650'],
    ['digestThreshold', 'digestThreshold', 'DIGEST_THRESHOLD', '-1', 'from 0 to 1000000'],
  ])(
    '%s=%s is refused the same way in all three, naming where it came from',
    (key, flagAttribute, variable, value, reason) => {
      const flag = POLICY_SETTINGS[key as keyof typeof POLICY_SETTINGS].flag?.name ?? '';
      const errors = {
        context: refusal(() => readers.context(key, value)),
        flag: refusal(() => readers.flag(flagAttribute, value)),
        lambda: refusal(() => readers.lambda(variable, value)),
      };

      expect(errors.context.setting).toBe(key);
      expect(errors.flag.setting).toBe(flag);
      expect(errors.lambda.setting).toBe(variable);
      for (const error of Object.values(errors)) expect(error.message).toContain(reason);
      expect(
        new Set(Object.values(errors).map((error) => error.message.split(': ').slice(1).join(': '))).size,
      ).toBe(1);
    },
  );

  it('gives the same defaults everywhere when nothing is set', () => {
    const fromNothing = [
      readers.context('unset', undefined),
      readers.flag('unset', undefined),
      readers.lambda('UNSET', ''),
    ];

    for (const policy of fromNothing) {
      expect(policy).toEqual(DEFAULT_POLICY);
    }
  });

  it('reads a list from cdk.json and the same list from a flag alike', () => {
    expect(readers.context('thresholds', [7, 30, 1]).thresholds).toEqual([30, 7, 1]);
    expect(readers.flag('thresholds', '7, 30,1').thresholds).toEqual([30, 7, 1]);
  });
});
