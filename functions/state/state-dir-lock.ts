/**
 * One scan at a time per state directory: a lock file naming the process that holds it (its pid and, where
 * `/proc` exists, its start time). LevelDB refuses a second opener too, but dynalite then hangs instead of
 * failing, so the lock is taken before it starts.
 *
 * A lock whose holder has ended, is a zombie (ended, not yet reaped by its parent) or whose pid now belongs to
 * another process (a different start time) is stale and taken over. Taking a lock therefore proves that no
 * other scan is working on the directory: whatever an earlier scan left half done there (claims, an open
 * digest) was left by a scan that has stopped, and `StateDirLock.previous` says which.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'scan.lock';
const heldByThisProcess = new Set<string>();

export class StateDirInUseError extends Error {
  override readonly name = 'StateDirInUseError';
  constructor(
    readonly dir: string,
    readonly pid: number | null,
  ) {
    const holder = pid === null ? '' : ` (process ${pid})`;
    super(
      `Another scan is using the state directory ${dir}${holder}. Wait for it to finish; if no scan is running, delete ${join(dir, LOCK_FILE)}.`,
    );
  }
}

/** Why a lock left in the directory did not stop this process from taking it. */
export type StaleReason = 'ended' | 'zombie' | 'pid reused' | 'unreadable';

/** The process named by a stale lock, and why it no longer counts. */
export interface StaleHolder {
  pid: number | null;
  reason: StaleReason;
}

export interface StateDirLock {
  /** The stale lock this process took over, or null when the directory was not locked. */
  previous: StaleHolder | null;
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  /** Clock ticks after boot (`/proc/<pid>/stat` field 22), or null where `/proc` is not available. */
  startTime: number | null;
}

/** Creates `dir` if needed and locks it. Throws `StateDirInUseError` when a live process holds it. */
export async function lockStateDir(dir: string): Promise<StateDirLock> {
  await mkdir(dir, { recursive: true });
  const lockPath = resolve(dir, LOCK_FILE);
  if (heldByThisProcess.has(lockPath)) throw new StateDirInUseError(dir, process.pid);
  const staged = `${lockPath}.${randomUUID()}`;
  await writeFile(staged, formatHolder({ pid: process.pid, startTime: processStartTime(process.pid) }));
  let previous: StaleHolder | null = null;
  try {
    if (!(await linkIfAbsent(staged, lockPath))) {
      const holder = await readHolder(lockPath);
      const stale = holder === null ? 'unreadable' : staleReason(holder);
      if (stale === null) throw new StateDirInUseError(dir, holder?.pid ?? null);
      previous = { pid: holder?.pid ?? null, reason: stale };
      await rm(lockPath, { force: true });
      if (!(await linkIfAbsent(staged, lockPath)))
        throw new StateDirInUseError(dir, (await readHolder(lockPath))?.pid ?? null);
    }
  } finally {
    await rm(staged, { force: true });
  }
  heldByThisProcess.add(lockPath);
  return {
    previous,
    release: async () => {
      heldByThisProcess.delete(lockPath);
      await rm(lockPath, { force: true });
    },
  };
}

async function linkIfAbsent(source: string, target: string): Promise<boolean> {
  try {
    await link(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function formatHolder(holder: Holder): string {
  return holder.startTime === null ? `${holder.pid}\n` : `${holder.pid} ${holder.startTime}\n`;
}

/** `pid` or `pid startTime` (a lock written before start times were kept has the pid alone). */
async function readHolder(lockPath: string): Promise<Holder | null> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const [pidText = '', startText] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  const startTime = startText === undefined ? null : Number(startText);
  return { pid, startTime: Number.isSafeInteger(startTime) ? startTime : null };
}

/** Null when the holder is a live process other than this one; otherwise why its lock is stale. */
function staleReason(holder: Holder): StaleReason | null {
  // Our own pid in a lock we do not hold is a leftover of an earlier process that had the same pid.
  if (holder.pid === process.pid) return 'pid reused';
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'ended';
  }
  const stat = readProcStat(holder.pid);
  if (stat === null) return null; // no /proc: a process with that pid exists, so it counts as the holder
  if (stat.state === 'Z' || stat.state === 'X') return 'zombie';
  if (holder.startTime !== null && stat.startTime !== holder.startTime) return 'pid reused';
  return null;
}

function processStartTime(pid: number): number | null {
  return readProcStat(pid)?.startTime ?? null;
}

/** The state letter and the start time of `/proc/<pid>/stat`, or null where it cannot be read. */
export function readProcStat(pid: number): { state: string; startTime: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return parseProcStat(text);
}

/** `pid (comm) state ppid …`: the command may hold spaces and parentheses, so fields count from its end. */
export function parseProcStat(text: string): { state: string; startTime: number } | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = Number(fields[19]); // field 22 of the whole line; fields[0] is field 3
  if (!state || !Number.isSafeInteger(startTime)) return null;
  return { state, startTime };
}
