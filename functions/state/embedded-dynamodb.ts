/**
 * A DynamoDB API server inside the process (dynalite), so the local command needs nothing installed: persisted
 * in a state directory, or in memory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { lockStateDir } from './state-dir-lock.ts';

export { StateDirInUseError } from './state-dir-lock.ts';

export interface EmbeddedDynamoDB {
  endpoint: string;
  /** Closes the server and the database, and unlocks the state directory. */
  close(): Promise<void>;
}

const INSTANT_TABLE_CHANGES = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

/** Listens on 127.0.0.1 on a free port. Throws `StateDirInUseError` when another scan has `dir` open. */
export async function startEmbeddedDynamoDB(options: { dir?: string } = {}): Promise<EmbeddedDynamoDB> {
  const { dir } = options;
  const unlock = dir === undefined ? async () => {} : await lockStateDir(dir);
  try {
    const server = dynalite({
      ...INSTANT_TABLE_CHANGES,
      ...(dir === undefined ? {} : { path: join(dir, 'dynamodb') }),
    });
    const port = await listen(server);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      close: async () => {
        await close(server);
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
}
