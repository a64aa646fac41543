/**
 * The local command's store: the state table and, beside it, the digest table, in the embedded dynalite (a
 * locked state directory) or at any DynamoDB API (`--dynamodb-endpoint`, which other scans may share).
 */
import { ConfigError } from '../core/config.ts';
import { createDynamoClients } from '../state/dynamo-clients.ts';
import { DynamoDigestLedger } from '../state/dynamo-digest-ledger.ts';
import { DynamoStateStore } from '../state/dynamo-state-store.ts';
import { type StaleHolder, startEmbeddedDynamoDB } from '../state/embedded-dynamodb.ts';
import { countRequests, type DynamoRequestCounts } from '../state/request-counter.ts';
import { stateRetentionDays } from '../state/state-retention.ts';
import { digestTableBeside, ensureDigestTable, ensureStateTable } from '../state/state-table.ts';
import { CLAIM_LEASE_SECONDS } from './claim-lease.ts';
import { DEFAULT_TABLE, type ScanOptions } from './scan-options.ts';

export { CLAIM_LEASE_MS, CLAIM_LEASE_SECONDS } from './claim-lease.ts';

export interface LocalStore {
  state: DynamoStateStore;
  digests: DynamoDigestLedger;
  /**
   * The store is this run's alone (the embedded one: its state directory is locked, or it is in memory), so
   * whatever an earlier scan left half done in it was left by a scan that stopped.
   */
  owned: boolean;
  /** The stale lock taken over: the scan that stopped without unlocking the state directory. */
  previousHolder: StaleHolder | null;
  requests: () => DynamoRequestCounts;
  close: () => Promise<void>;
}

/** Opens the store; a dry run creates no digest table (it writes nothing there). */
export async function openLocalStore(options: ScanOptions): Promise<LocalStore> {
  const embedded =
    options.state.kind === 'embedded' ? await startEmbeddedDynamoDB({ dir: options.state.dir }) : null;
  const { client, doc } = createDynamoClients(
    options.state.kind === 'endpoint' ? options.state : { endpoint: embedded?.endpoint },
  );
  try {
    const table = options.state.kind === 'endpoint' ? options.state.table : DEFAULT_TABLE;
    const digestTable = digestTableBeside(table);
    if (digestTable === null) {
      throw new ConfigError(
        '--table',
        table,
        'is too long to keep its digest table (<table>-digest) beside it',
      );
    }
    await ensureStateTable(client, table);
    if (!options.dryRun) await ensureDigestTable(client, digestTable);
    return {
      state: new DynamoStateStore(doc, table, {
        claimLeaseSeconds: CLAIM_LEASE_SECONDS,
        retainDaysAfterExpiry: stateRetentionDays(options.policy.expiredLookbackDays),
      }),
      digests: new DynamoDigestLedger(doc, digestTable),
      owned: embedded !== null,
      previousHolder: embedded?.previousHolder ?? null,
      requests: countRequests(client),
      close: async () => {
        client.destroy();
        await embedded?.close();
      },
    };
  } catch (error) {
    client.destroy();
    await embedded?.close();
    throw error;
  }
}
