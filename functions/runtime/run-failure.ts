/**
 * How a run of the scan or summary function that failed is told: the error scrubbed of the key in place (the
 * client already keeps it out of its errors; this is the net for every other path to the log), a refused key
 * counted for its alarm, and one log line.
 */
import { CertCentralKeyRefusedError } from '../certcentral/errors.ts';
import type { Redactor } from '../certcentral/redact.ts';
import { count, logger, Metric } from './observability.ts';

export function logRunFailure(message: string, error: unknown, redactor: Redactor): void {
  redactor.error(error);
  if (error instanceof CertCentralKeyRefusedError) count(Metric.CertCentralKeyRefused);
  logger.error(message, { error: redactor.errorText(error) });
}
