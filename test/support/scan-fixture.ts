/**
 * The hooks of a scan test file: one in-memory DynamoDB (dynalite) for the file, a new table per target, and
 * simulators that close after each test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type EmbeddedDynamoDB, startEmbeddedDynamoDB } from '../../functions/state/embedded-dynamodb.ts';
import type { SimAccount } from '../certcentral-sim/account.ts';
import type { Simulator } from '../certcentral-sim/server.ts';
import { freshTableFlags, ScanTarget, startAccountSimulator } from './scan-command.ts';

export interface ScanFixture {
  /** `--dynamodb-endpoint … --table …` for a new, empty table. */
  freshState(): string[];
  simulate(account: SimAccount): Promise<Simulator>;
  /** A simulator of `account` and a new, empty state. */
  targetFor(account: SimAccount): Promise<ScanTarget>;
}

/** Call at the top of a test file. */
export function useScanFixture(): ScanFixture {
  let db: EmbeddedDynamoDB | undefined;
  let simulators: Simulator[] = [];
  beforeAll(async () => {
    db = await startEmbeddedDynamoDB();
  });
  afterAll(() => db?.close());
  afterEach(async () => {
    await Promise.all(simulators.map((simulator) => simulator.close()));
    simulators = [];
  });

  const freshState = (): string[] => {
    if (!db) throw new Error('useScanFixture: DynamoDB is not started yet (call it at the top of the file)');
    return freshTableFlags(db.endpoint);
  };
  const simulate = async (account: SimAccount): Promise<Simulator> => {
    const simulator = await startAccountSimulator(account);
    simulators.push(simulator);
    return simulator;
  };
  return {
    freshState,
    simulate,
    targetFor: async (account) => new ScanTarget(await simulate(account), freshState()),
  };
}
