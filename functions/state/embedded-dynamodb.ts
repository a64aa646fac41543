/**
 * A DynamoDB API server inside the process (dynalite), so the local command needs nothing installed: persisted
 * in a state directory, or in memory.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { lockStateDir, type StaleHolder } from './state-dir-lock.ts';

export { type StaleHolder, StateDirInUseError } from './state-dir-lock.ts';

export interface EmbeddedDynamoDB {
  endpoint: string;
  /**
   * The stale lock this process took over (an earlier scan that stopped without unlocking), if any. Either
   * way the store is this process's alone while it runs: a state directory is locked (`state-dir-lock.ts`), an
   * in-memory one is private. So whatever an earlier scan left half done in it was left by a scan that stopped.
   */
  previousHolder: StaleHolder | null;
  /** Closes the server and the database, and unlocks the state directory. */
  close(): Promise<void>;
}

const INSTANT_TABLE_CHANGES = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };

/** Listens on 127.0.0.1 on a free port. Throws `StateDirInUseError` when another scan has `dir` open. */
export async function startEmbeddedDynamoDB(options: { dir?: string } = {}): Promise<EmbeddedDynamoDB> {
  const { dir } = options;
  const lock = dir === undefined ? null : await lockStateDir(dir);
  const unlock = async () => lock?.release();
  try {
    const server = dynalite({
      ...INSTANT_TABLE_CHANGES,
      ...(dir === undefined ? {} : { path: join(dir, 'dynamodb') }),
    });
    const port = await listen(server);
    return {
      endpoint: `http://127.0.0.1:${port}`,
      previousHolder: lock?.previous ?? null,
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
