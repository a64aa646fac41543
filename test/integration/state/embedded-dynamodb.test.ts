import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClaimRequest } from '../../../functions/core/ports.ts';
import { createDynamoClients } from '../../../functions/state/dynamo-clients.ts';
import { DynamoStateStore } from '../../../functions/state/dynamo-state-store.ts';
import {
  type EmbeddedDynamoDB,
  StateDirInUseError,
  startEmbeddedDynamoDB,
} from '../../../functions/state/embedded-dynamodb.ts';
import { readProcStat } from '../../../functions/state/state-dir-lock.ts';
import { ensureStateTable } from '../../../functions/state/state-table.ts';

const NOW = new Date('2026-11-23T06:00:00Z');
const TABLE = 'expiry-alerts-state';
const ALERT: ClaimRequest = {
  certKey: 'order#1001',
  orderId: 1001,
  kind: 'alert',
  level: 7,
  validTill: '2026-11-28',
};

const HAS_PROC = existsSync('/proc/self/stat');

let dir: string;
const open: EmbeddedDynamoDB[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'expiry-alerts-state-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((embedded) => embedded.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: { dir?: string }): Promise<EmbeddedDynamoDB> {
  const embedded = await startEmbeddedDynamoDB(options);
  open.push(embedded);
  return embedded;
}

async function stop(embedded: EmbeddedDynamoDB): Promise<void> {
  open.splice(open.indexOf(embedded), 1);
  await embedded.close();
}

/** Runs `use` against a state store on `embedded`, as one scan would. */
async function withStore<T>(
  embedded: EmbeddedDynamoDB,
  use: (store: DynamoStateStore) => Promise<T>,
): Promise<T> {
  const { client, doc } = createDynamoClients({ endpoint: embedded.endpoint });
  try {
    await ensureStateTable(client, TABLE);
    return await use(new DynamoStateStore(doc, TABLE));
  } finally {
    client.destroy();
  }
}

async function announce(store: DynamoStateStore): Promise<void> {
  const claim = await store.claim(ALERT, NOW);
  if (claim) await store.markSent(claim, NOW);
}

describe('startEmbeddedDynamoDB', () => {
  it('listens on 127.0.0.1 and keeps state in the directory across restarts', async () => {
    const first = await start({ dir });
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await withStore(first, announce);
    await stop(first);

    const second = await start({ dir });
    const states = (await withStore(second, (store) => store.loadAll())).certificates;

    expect(states.get('order#1001')).toEqual({
      certKey: 'order#1001',
      orderId: 1001,
      validTill: '2026-11-28',
      announced: 7,
    });
    expect(await withStore(second, (store) => store.claim(ALERT, NOW))).toBeNull();
  });

  it('creates a state directory that does not exist yet', async () => {
    const nested = join(dir, 'a', 'b');

    await withStore(await start({ dir: nested }), announce);

    const [pid, startTime] = (await readFile(join(nested, 'scan.lock'), 'utf8')).trim().split(' ');
    expect(pid).toBe(String(process.pid));
    if (HAS_PROC) expect(Number(startTime)).toBe(readProcStat(process.pid)?.startTime);
  });

  it('refuses a second start on a directory that is open', async () => {
    await start({ dir });

    const second = startEmbeddedDynamoDB({ dir });

    await expect(second).rejects.toThrow(StateDirInUseError);
    await expect(second).rejects.toThrow(`Another scan is using the state directory ${dir}`);
  });

  it('refuses a directory locked by another running process', async () => {
    await writeFile(join(dir, 'scan.lock'), `${process.ppid}\n`);

    await expect(startEmbeddedDynamoDB({ dir })).rejects.toThrow(
      `Another scan is using the state directory ${dir} (process ${process.ppid})`,
    );
  });

  it('refuses a lock of a running process written with its start time', async () => {
    const parent = readProcStat(process.ppid);
    await writeFile(join(dir, 'scan.lock'), `${process.ppid} ${parent?.startTime ?? ''}\n`);

    await expect(startEmbeddedDynamoDB({ dir })).rejects.toThrow(StateDirInUseError);
  });

  it('takes over the lock of a process that has ended, and says so', async () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(dir, 'scan.lock'), `${ended}\n`);

    const embedded = await start({ dir });

    expect(embedded.previousHolder).toEqual({ pid: ended, reason: 'ended' });
    expect(await withStore(embedded, (store) => store.loadAll())).toEqual({
      certificates: new Map(),
      orders: new Map(),
      mutes: [],
    });
  });

  it.runIf(HAS_PROC)(
    'takes over the lock of a pid now used by another process (another start time)',
    async () => {
      const parent = readProcStat(process.ppid);
      await writeFile(join(dir, 'scan.lock'), `${process.ppid} ${(parent?.startTime ?? 0) + 1}\n`);

      const embedded = await start({ dir });

      expect(embedded.previousHolder).toEqual({ pid: process.ppid, reason: 'pid reused' });
    },
  );

  it.runIf(HAS_PROC)('takes over the lock of a zombie (ended, not yet reaped by its parent)', async () => {
    const zombie = await startZombie();
    try {
      await writeFile(join(dir, 'scan.lock'), `${zombie.pid}\n`);

      const embedded = await start({ dir });

      expect(embedded.previousHolder).toEqual({ pid: zombie.pid, reason: 'zombie' });
    } finally {
      zombie.end();
    }
  });

  it('reports no previous holder when the directory was not locked', async () => {
    expect((await start({ dir })).previousHolder).toBeNull();
  });

  it('frees the directory on close', async () => {
    await stop(await start({ dir }));

    await expect(start({ dir })).resolves.toMatchObject({ endpoint: expect.any(String) });
  });

  it('keeps in-memory instances apart and needs no directory', async () => {
    const first = await start({});
    const second = await start({});
    await withStore(first, announce);

    expect(await withStore(second, (store) => store.loadAll())).toEqual({
      certificates: new Map(),
      orders: new Map(),
      mutes: [],
    });
  });
});

/**
 * A process that has ended but is not reaped: a shell's child that exits while the shell, replaced by `sleep`,
 * never waits for it.
 */
async function startZombie(): Promise<{ pid: number; end: () => void }> {
  const parent = spawn('sh', ['-c', 'sh -c "exit 0" & echo $!; exec sleep 120'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = await new Promise<number>((resolve) => {
    parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  // The child exits within a millisecond or so of its fork: yield to the event loop until /proc shows it.
  const giveUpAt = performance.now() + 50_000;
  while (readProcStat(pid)?.state !== 'Z' && performance.now() < giveUpAt) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { pid, end: () => parent.kill('SIGKILL') };
}
