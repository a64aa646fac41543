/**
 * The state for the commands beside `scan` (`mute`, `unmute`, `mutes`, `list`): the embedded store, any DynamoDB
 * API (`--dynamodb-endpoint URL --table NAME`, created if missing, as `scan` does), or a deployed stack's table
 * (`--table NAME` alone, with the caller's AWS credentials; never created: a missing table is an error that says
 * where to find its name).
 */
import { ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { readSettings } from '../config/setting.ts';
import { ConfigError } from '../core/config.ts';
import { createDynamoClients } from '../state/dynamo-clients.ts';
import { DynamoMuteStore } from '../state/dynamo-mute-store.ts';
import { DynamoStateStore } from '../state/dynamo-state-store.ts';
import { startEmbeddedDynamoDB } from '../state/embedded-dynamodb.ts';
import { checkStateTable, ensureStateTable } from '../state/state-table.ts';
import { fromFlags } from './cli-settings.ts';
import { COMMAND_STATE_SETTINGS } from './command-settings.ts';
import { DEFAULT_TABLE, resolveStateOption, type ScanFlags, type StateOption } from './scan-options.ts';

export type CommandStateOption = StateOption | { kind: 'deployed'; table: string; region: string };

/** `--table` without `--dynamodb-endpoint` or `--state-dir`: a deployed stack's table; otherwise as `scan`. */
export function resolveCommandState(flags: ScanFlags, env: NodeJS.ProcessEnv): CommandStateOption {
  const state = readSettings(COMMAND_STATE_SETTINGS, fromFlags(flags, env));
  if (state.table !== null && state.dynamodbEndpoint === null && state.stateDir === null) {
    const region = state.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) {
      throw new ConfigError(
        '--region',
        '',
        "is needed with --table alone: the deployed stack's region (or set AWS_REGION)",
      );
    }
    return { kind: 'deployed', table: state.table, region };
  }
  return resolveStateOption(flags, env);
}

/** The deployed table is not there: its name or region is wrong. */
import { StateTableNotFoundError } from './usage-errors.ts';

export { StateTableNotFoundError };

export interface CommandState {
  state: DynamoStateStore;
  mutes: DynamoMuteStore;
  close(): Promise<void>;
}

export async function openCommandState(option: CommandStateOption): Promise<CommandState> {
  const embedded = option.kind === 'embedded' ? await startEmbeddedDynamoDB({ dir: option.dir }) : null;
  try {
    const { client, doc } = createDynamoClients(
      option.kind === 'embedded'
        ? { endpoint: embedded?.endpoint }
        : option.kind === 'endpoint'
          ? option
          : { region: option.region },
    );
    const table = option.kind === 'embedded' ? DEFAULT_TABLE : option.table;
    try {
      if (option.kind === 'deployed') await checkDeployedTable(client, option);
      else await ensureStateTable(client, table);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return {
      state: new DynamoStateStore(doc, table),
      mutes: new DynamoMuteStore(doc, table),
      close: async () => {
        client.destroy();
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}

async function checkDeployedTable(
  client: Parameters<typeof checkStateTable>[0],
  option: { table: string; region: string },
): Promise<void> {
  try {
    await checkStateTable(client, option.table);
  } catch (error) {
    if (error instanceof ResourceNotFoundException)
      throw new StateTableNotFoundError(option.table, option.region);
    throw error;
  }
}
