/**
 * One benchmark scan in its own process, so its peak RSS is the scan's alone: the same `runLocalScan` as
 * `expiry-alerts scan --json`; or (`floor`) only downloading and parsing the report pages; or (`scan-stage`)
 * what the scan Lambda does: the core's `runScan` against the state table, its candidates serialized as the
 * SQS bodies they would be (SQS itself is not here).
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { CertCentralClient } from '../../functions/certcentral/certcentral-client.ts';
import { DEFAULT_MAX_REPORT_ROWS, DEFAULT_POLICY } from '../../functions/core/config.ts';
import { US_CONSOLE_URL } from '../../functions/core/console-links.ts';
import { runScan } from '../../functions/core/scan.ts';
import { runLocalScan } from '../../functions/local/run-local-scan.ts';
import { createDynamoClients } from '../../functions/state/dynamo-clients.ts';
import { DynamoStateStore } from '../../functions/state/dynamo-state-store.ts';
import { MemoryDigestLedger } from '../../functions/state/memory-digest-ledger.ts';
import type { ScanJob, ScanJobResult } from './protocol.ts';

const quietLog = {
  info: () => {},
  warn: () => {},
  error: (message: string) => process.stderr.write(`${message}\n`),
};

async function run(job: ScanJob): Promise<ScanJobResult> {
  const certCentral = { limits: job.limits, marginMs: job.marginMs };
  const reportClient = () =>
    new CertCentralClient({ baseUrl: job.baseUrl, apiKey: job.apiKey, ...certCentral });
  const started = performance.now();
  if (job.mode === 'floor') {
    const client = reportClient();
    for await (const _record of client.records()) {
      // Only the download and the parse are measured.
    }
    return result(started, 0, null, client.stats());
  }
  if (job.mode === 'scan-stage') {
    const client = reportClient();
    const { client: dynamo, doc } = createDynamoClients({ endpoint: job.dynamodbEndpoint, region: 'local' });
    let queued = 0;
    let bodyBytes = 0;
    await runScan({
      report: client,
      state: new DynamoStateStore(doc, job.table),
      digests: new MemoryDigestLedger(),
      dispatch: async (messages) => {
        queued += messages.length;
        for (const message of messages) bodyBytes += Buffer.byteLength(JSON.stringify(message));
      },
      policy: { ...DEFAULT_POLICY, digestThreshold: job.digestThreshold },
      clock: () => new Date(job.now),
      log: quietLog,
    });
    dynamo.destroy();
    return { ...result(started, queued, null, client.stats()), queuedBodyBytes: bodyBytes };
  }
  let events = 0;
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 10) events += 1;
      done();
    },
  });
  const summary = await runLocalScan(
    {
      apiKey: job.apiKey,
      baseUrl: job.baseUrl,
      consoleUrl: US_CONSOLE_URL,
      policy: { ...DEFAULT_POLICY, digestThreshold: job.digestThreshold },
      now: new Date(job.now),
      state: { kind: 'endpoint', endpoint: job.dynamodbEndpoint, table: job.table, region: 'local' },
      json: true,
      dryRun: false,
      quiet: true,
      snsTopicArn: null,
      slackWebhookUrl: null,
      pageSize: 1000,
      rateLimits: { per5s: 100, per3min: 1000 },
      maxReportRows: DEFAULT_MAX_REPORT_ROWS,
    },
    { stdout, log: quietLog, certCentral },
  );
  const { skippedSamples: _samples, ...scan } = summary.scan;
  const { digest, ...rest } = summary;
  return result(started, events, { ...rest, scan, digestTotal: digest?.total ?? null }, null);
}

function result(
  started: number,
  events: number,
  summary: ScanJobResult['summary'],
  floor: ScanJobResult['floor'],
): ScanJobResult {
  return {
    wallMs: performance.now() - started,
    maxRssMb: peakRssMb(),
    events,
    summary,
    floor,
  };
}

/**
 * This process's own peak RSS. Not `process.resourceUsage().maxRSS`: Linux carries the high-water mark of
 * the forked copy of the parent across exec, so it would report the parent's (the simulator's and dynalite's)
 * memory. `VmHWM` belongs to this process's address space; elsewhere the sampled maximum stands in.
 */
function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return sampledPeak / 1048576;
}

let sampledPeak = process.memoryUsage.rss();
setInterval(() => {
  sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
}, 20).unref();

process.once('message', async (job: ScanJob) => {
  try {
    process.send?.({ ok: true, result: await run(job) });
  } catch (error) {
    process.send?.({
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
  process.disconnect();
});
