/**
 * The summary function's settings, read from its environment once per cold start: the state table, the topic,
 * CertCentral (the API key's secret, the base URL, its request share), the watch rules and the window.
 */
import { fromLambdaEnvironment, readSettings } from '../config/setting.ts';
import { POLICY_SETTINGS } from '../config/shared-settings.ts';
import { SUMMARY_WINDOW_SETTINGS } from '../config/summary-settings.ts';
import type { AlertPolicy } from '../core/config.ts';
import type { RouteFilter } from '../core/routes.ts';
import {
  type CertCentralEnvironment,
  readCertCentralEnvironment,
  readReportEnvironment,
  required,
  routeFiltersOf,
  SCAN_REQUEST_BUDGET,
} from './environment.ts';

type Env = Record<string, string | undefined>;

export interface SummaryRuntimeEnvironment {
  tableName: string;
  topicArn: string;
  policy: AlertPolicy;
  withinDays: number;
  certCentral: CertCentralEnvironment;
  pageSize: number;
  /** The summary fails when the order report passes this many rows (`MAX_REPORT_ROWS`), as the scan does. */
  maxReportRows: number;
  /** The routes' filters (`ROUTES`); null when the stack has none: one summary to the topic. */
  routes: RouteFilter[] | null;
}

export function readSummaryEnvironment(env: Env): SummaryRuntimeEnvironment {
  const settings = fromLambdaEnvironment(env);
  return {
    tableName: required(env, 'STATE_TABLE_NAME'),
    topicArn: required(env, 'TOPIC_ARN'),
    policy: readSettings(POLICY_SETTINGS, settings),
    withinDays: readSettings(SUMMARY_WINDOW_SETTINGS, settings).summaryWithinDays,
    certCentral: readCertCentralEnvironment(env, SCAN_REQUEST_BUDGET, { per5s: 10, per3min: 100 }),
    ...readReportEnvironment(env),
    routes: routeFiltersOf(env),
  };
}
