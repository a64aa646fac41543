/** What the benchmark's parent and its child processes tell each other over the IPC channel. */
import type { CertCentralStats } from '../../functions/certcentral/certcentral-client.ts';
import type { LocalScanSummary } from '../../functions/local/run-local-scan.ts';

export interface RateWindowSpec {
  limit: number;
  windowMs: number;
}

export interface ScanJob {
  mode: 'scan' | 'floor' | 'scan-stage';
  baseUrl: string;
  apiKey: string;
  dynamodbEndpoint: string;
  table: string;
  now: string;
  limits: RateWindowSpec[];
  marginMs: number;
  digestThreshold: number;
}

export interface ScanJobResult {
  wallMs: number;
  maxRssMb: number;
  /** Events printed by `--json` (one per certificate); for `scan-stage`, the candidates it would queue. */
  events: number;
  summary:
    | (Omit<LocalScanSummary, 'scan' | 'digest'> & {
        scan: Omit<LocalScanSummary['scan'], 'skippedSamples'>;
        /** The alerts the digest people got counted, or null when there was no digest. */
        digestTotal: number | null;
      })
    | null;
  floor: CertCentralStats | null;
  /** `scan-stage`: the bytes of the SQS message bodies it would send. */
  queuedBodyBytes?: number;
}

export interface WorkerJob {
  /** The scan and the weekly summary read report pages; an alert worker looks orders up. */
  role: 'scan' | 'summary' | 'alert-worker';
  baseUrl: string;
  apiKey: string;
  per5s: number;
  per3min: number;
  seconds: number;
  orderIds: number[];
}

export interface WorkerJobResult {
  role: WorkerJob['role'];
  calls: number;
  throttled: number;
}
