/**
 * One rate-limited CertCentral caller for the worker-fleet benchmark: an alert worker (order lookups, what the
 * alert Lambda spends its budget on) or the scan or the weekly summary (report pages), each with its share of
 * DigiCert's limits.
 */
import { CertCentralClient } from '../../functions/certcentral/certcentral-client.ts';
import type { WorkerJob, WorkerJobResult } from './protocol.ts';

async function run(job: WorkerJob): Promise<WorkerJobResult> {
  const client = new CertCentralClient({
    baseUrl: job.baseUrl,
    apiKey: job.apiKey,
    pageSize: 100,
    limits: [
      { limit: job.per5s, windowMs: 5_000 },
      { limit: job.per3min, windowMs: 180_000 },
    ],
  });
  const deadline = Date.now() + job.seconds * 1000;
  let next = 0;
  while (Date.now() < deadline) {
    if (job.role === 'scan' || job.role === 'summary') {
      for await (const _record of client.records()) {
        if (Date.now() >= deadline) break;
      }
    } else {
      await client.order(job.orderIds[next % job.orderIds.length] as number);
      next += 1;
    }
  }
  const stats = client.stats();
  return { role: job.role, calls: stats.totalCalls, throttled: stats.throttled };
}

process.once('message', async (job: WorkerJob) => {
  process.send?.(await run(job));
  process.disconnect();
});
