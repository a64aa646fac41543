/**
 * One scan at a time per state directory: a lock file naming the process that holds it. LevelDB refuses a
 * second opener too, but dynalite then hangs instead of failing, so the lock is taken before it starts.
 */
import { randomUUID } from 'node:crypto';
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

/** Creates `dir` if needed and locks it; resolves to the function that unlocks it. */
export async function lockStateDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const lockPath = resolve(dir, LOCK_FILE);
  if (heldByThisProcess.has(lockPath)) throw new StateDirInUseError(dir, process.pid);
  const staged = `${lockPath}.${randomUUID()}`;
  await writeFile(staged, `${process.pid}\n`);
  try {
    if (!(await linkIfAbsent(staged, lockPath))) {
      const holder = await readHolder(lockPath);
      if (holder !== null && isAnotherLiveProcess(holder)) throw new StateDirInUseError(dir, holder);
      await rm(lockPath, { force: true });
      if (!(await linkIfAbsent(staged, lockPath)))
        throw new StateDirInUseError(dir, await readHolder(lockPath));
    }
  } finally {
    await rm(staged, { force: true });
  }
  heldByThisProcess.add(lockPath);
  return async () => {
    heldByThisProcess.delete(lockPath);
    await rm(lockPath, { force: true });
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

async function readHolder(lockPath: string): Promise<number | null> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** Our own pid in a lock we do not hold is a leftover of an earlier process that had the same pid. */
function isAnotherLiveProcess(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
