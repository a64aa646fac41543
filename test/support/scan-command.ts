/**
 * Runs the real `expiry-alerts` command in-process, as a shell would, against a CertCentral simulator, and keeps
 * what it printed. The client's clock is virtual: retry backoff and the rate limiter advance it instead of
 * waiting, so no test really sleeps.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { type CliIo, main } from '../../functions/cli.ts';
import type { NotificationEvent } from '../../functions/core/model.ts';
import type { SimAccount } from '../certcentral-sim/account.ts';
import { type Simulator, startSimulator } from '../certcentral-sim/server.ts';

export const API_KEY = 'sim-key-3b9e61c04f7a25d8';

export interface CommandRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ScanRun extends CommandRun {
  /** The NDJSON lines of stdout (`--json`). */
  events: NotificationEvent[];
}

export interface RunOptions {
  /** Replaces the default environment, which holds only the right API key. */
  env?: NodeJS.ProcessEnv;
  /** The CertCentral client's fetch: tests wrap the real one to arm simulator faults mid-scan. */
  fetch?: typeof fetch;
  /** Signals, the exit on a second one, the wall clock and the progress ticker, as a process has them. */
  process?: Pick<CliIo, 'signals' | 'exit' | 'wallClock' | 'timer'>;
}

class TextCapture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    this.text += chunk.toString();
    done();
  }
}

/** A clock that only moves when something sleeps on it. */
function virtualTime(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let nowMs = Date.parse('2030-01-01T00:00:00Z');
  return {
    now: () => nowMs,
    sleep: async (ms) => {
      nowMs += ms;
    },
  };
}

export async function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<CommandRun> {
  const stdout = new TextCapture();
  const stderr = new TextCapture();
  const exitCode = await main(argv, {
    stdout,
    stderr,
    ...options.process,
    env: options.env ?? { DIGICERT_API_KEY: API_KEY },
    certCentral: {
      ...virtualTime(),
      random: () => 0.5,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

export function parseEvents(stdout: string): NotificationEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as NotificationEvent);
}

/** The scan instant used for `day`: 06:00 UTC, when the scheduled scan runs. */
export const scanInstant = (day: string): string => `${day}T06:00:00Z`;

/** A simulator for `account` without its rate limit: the client's limiter runs on virtual time. */
export function startAccountSimulator(account: SimAccount): Promise<Simulator> {
  return startSimulator({
    account,
    apiKey: API_KEY,
    rateLimits: false,
    now: () => Date.parse(scanInstant(account.today)),
  });
}

/** `--dynamodb-endpoint … --table …` for a new, empty table at `endpoint`. */
export const freshTableFlags = (endpoint: string): string[] => [
  '--dynamodb-endpoint',
  endpoint,
  '--table',
  `scan-${randomUUID()}`,
];

/** `expiry-alerts scan` as of `day` against one simulator and one state. */
export class ScanTarget {
  constructor(
    readonly sim: Simulator,
    private readonly stateFlags: readonly string[],
  ) {}

  async scan(day: string, flags: readonly string[] = [], options: RunOptions = {}): Promise<ScanRun> {
    const run = await this.scanText(day, ['--json', ...flags], options);
    return { ...run, events: parseEvents(run.stdout) };
  }

  /** The same scan printing for people instead of machines (no `--json`). */
  scanText(day: string, flags: readonly string[] = [], options: RunOptions = {}): Promise<CommandRun> {
    return runCommand(
      ['scan', '--base-url', this.sim.url, '--now', scanInstant(day), ...this.stateFlags, ...flags],
      options,
    );
  }
}
