/**
 * `expiry-alerts`: the local command. Parses and validates flags (exit 2 before any API call when one is
 * wrong), runs the scan, prints alerts on stdout and progress and the summary on stderr. SIGINT and SIGTERM
 * stop the scan cleanly (exit 130 and 143); a second one stops it at once.
 */
import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { CertCentralKeyRefusedError } from './certcentral/errors.ts';
import { Redactor } from './certcentral/redact.ts';
import { ConfigError } from './core/config.ts';
import { addSettingOptions } from './local/cli-settings.ts';
import {
  LIST_SETTING_GROUPS,
  MUTE_SETTING_GROUPS,
  MUTES_SETTING_GROUPS,
  UNMUTE_SETTING_GROUPS,
} from './local/command-settings.ts';
import {
  exitCodeForSignal,
  ScanInterruptedError,
  type SignalSource,
  type StopSignal,
  watchSignals,
} from './local/interruption.ts';
import { Progress, type ProgressSink, type ProgressTimer } from './local/progress.ts';
import { redactingOutput } from './local/redacting-output.ts';
import type { LocalScanIo } from './local/run-local-scan.ts';
import { resolveScanOptions, SCAN_SETTING_GROUPS, type ScanFlags } from './local/scan-options.ts';
import { stderrLog } from './local/stderr-log.ts';
import { formatInterruption, formatSummary } from './local/summary.ts';
import { addTestAlertCommand } from './local/test-alert-command.ts';
import { NoActiveMuteError, StateTableNotFoundError } from './local/usage-errors.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & ProgressSink;
  env: NodeJS.ProcessEnv;
  /** Client settings that flags do not reach (tests inject sleep and random). */
  certCentral?: LocalScanIo['certCentral'];
  /** SIGINT/SIGTERM (`process`); none in tests that run the command in-process. */
  signals?: SignalSource;
  /** Ends the process at once, on a second signal (`process.exit`). */
  exit?: (code: number) => void;
  /** The progress ticker; without one there is no progress (tests that do not look at it). */
  timer?: ProgressTimer;
  /** The wall clock: claim leases, whatever `--now` says. */
  wallClock?: () => Date;
  /** Lines written to stderr when a scan starts (the process's advice to use a newer Node.js). */
  notices?: readonly string[];
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The one place where errors become exit codes. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (isUsageError(error)) return EXIT_USAGE;
  if (error instanceof ScanInterruptedError) return exitCodeForSignal(error.signal);
  return EXIT_FAILED;
}

/** Wrong input the person can fix: a flag, a key, a table name, an unmute of nothing muted. */
function isUsageError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof CertCentralKeyRefusedError ||
    error instanceof NoActiveMuteError ||
    error instanceof StateTableNotFoundError
  );
}

const STATE_HELP = `
State: the same options as scan (--state-dir DIR, or --dynamodb-endpoint URL --table NAME), or
       --table NAME --region REGION alone: a deployed stack's table (its StateTableName output),
       with your AWS credentials.`;

/** `mute`, `unmute`, `mutes` and `list`. */
/** The review commands; each one's code is loaded when it runs, so the others start without it. */
function addReviewCommands(program: Command, io: CliIo): void {
  const commandIo = {
    stdout: io.stdout,
    env: io.env,
    ...(io.certCentral ? { certCentral: io.certCentral } : {}),
  };
  const mute = program
    .command('mute')
    .description(
      'Silence an order (its certificate and its duplicates) or one duplicate certificate until a date, with a reason. After the mute, the tightest level that applies is sent once.',
    );
  addSettingOptions(mute, ...MUTE_SETTING_GROUPS)
    .addHelpText(
      'after',
      `${STATE_HELP}
An order the state does not know is looked up in CertCentral (DIGICERT_API_KEY): one or two calls.`,
    )
    .action(async (flags) => {
      const { runMute } = await import('./local/mute-command.ts');
      await runMute(flags, commandIo);
    });
  const unmute = program
    .command('unmute')
    .description('End the active mute of an order or of one duplicate certificate.');
  addSettingOptions(unmute, ...UNMUTE_SETTING_GROUPS)
    .addHelpText('after', STATE_HELP)
    .action(async (flags) => {
      const { runUnmute } = await import('./local/mute-command.ts');
      await runUnmute(flags, commandIo);
    });
  const mutes = program
    .command('mutes')
    .description('List the mutes, active and ended, with who set them, when and why.');
  addSettingOptions(mutes, ...MUTES_SETTING_GROUPS)
    .addHelpText('after', STATE_HELP)
    .action(async (flags) => {
      const { runMutes } = await import('./local/mute-command.ts');
      await runMutes(flags, commandIo);
    });
  const list = program
    .command('list')
    .description(
      'What expires within N days (and what expired within the look-back), most urgent first: the report pages and the state, no other call, no change.',
    );
  addSettingOptions(list, ...LIST_SETTING_GROUPS)
    .addHelpText(
      'after',
      `${STATE_HELP}

Environment:
  DIGICERT_API_KEY    CertCentral API key (required; a View Only key is enough).
  DIGICERT_BASE_URL   same as --base-url`,
    )
    .action(async (flags) => {
      const { runList } = await import('./local/list-command.ts');
      await runList(flags, { ...commandIo, stderr: io.stderr });
    });
}

function buildProgram(io: CliIo, runScan: (flags: ScanFlags) => Promise<void>): Command {
  const program = new Command('expiry-alerts')
    .description(
      'Alerts on DigiCert CertCentral certificates that cross an expiry threshold, each crossing once.',
    )
    .version(packageJson.version)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run expiry-alerts scan --help for the options)');

  const scan = program
    .command('scan')
    .description(
      'Read the order report, announce the certificates that crossed a threshold, record them so each crossing is sent once.',
    );
  addSettingOptions(scan, ...SCAN_SETTING_GROUPS);
  scan
    .addHelpText(
      'after',
      `
Environment:
  DIGICERT_API_KEY    CertCentral API key (required; a View Only key is enough). Never passed as a flag.
  DIGICERT_BASE_URL   same as --base-url
  SLACK_WEBHOOK_URL   Slack incoming webhook, with --slack

Each CertCentral request gets 30 s per attempt and about 2 minutes in all, retries included; a wait of more
than 5 s before a retry is shown on stderr.

Exit codes: 0 done, 1 failed (after retries; what failed is left for the next scan),
            2 bad usage or configuration (a wrong flag or value, a missing or refused API key).`,
    )
    .action(runScan);
  addTestAlertCommand(program, io);
  addReviewCommands(program, io);
  return program;
}

export async function main(argv: readonly string[], given: CliIo): Promise<number> {
  // Whatever writes to the terminal, and however a secret got into the text, it does not get out.
  const secrets = new Redactor([given.env.DIGICERT_API_KEY, given.env.SLACK_WEBHOOK_URL]);
  const io: CliIo = {
    ...given,
    stdout: redactingOutput(given.stdout, secrets),
    stderr: redactingOutput(given.stderr, secrets),
  };
  let exitCode = EXIT_OK;
  const program = buildProgram(io, async (flags) => {
    for (const notice of io.notices ?? []) io.stderr.write(`${notice}\n`);
    const options = resolveScanOptions(flags, io.env);
    const progress =
      options.quiet || io.timer === undefined ? null : new Progress({ out: io.stderr, timer: io.timer });
    const sink = progress ?? io.stderr;
    const signals = io.signals
      ? watchSignals(io.signals, {
          onStop: (signal) => sink.write(`expiry-alerts: ${stopNotice(signal)}\n`),
          onForce: (signal) => {
            progress?.stop();
            io.stderr.write(
              `expiry-alerts: ${signal} again: stopping now; the next scan resolves what was in flight\n`,
            );
            io.exit?.(exitCodeForSignal(signal));
          },
        })
      : null;
    try {
      // Loaded for a scan only: `--version` and `--help` start without the AWS SDK and dynalite.
      const { runLocalScan } = await import('./local/run-local-scan.ts');
      const summary = await runLocalScan(options, {
        stdout: io.stdout,
        log: stderrLog(sink),
        ...(io.certCentral ? { certCentral: io.certCentral } : {}),
        ...(signals ? { stop: signals.signal } : {}),
        ...(progress ? { progress } : {}),
        ...(io.timer ? { timer: io.timer } : {}),
        ...(io.wallClock ? { wallClock: io.wallClock } : {}),
      });
      io.stderr.write(formatSummary(summary));
      if (summary.alerts.failedSends + summary.alerts.failedCandidates > 0) exitCode = EXIT_FAILED;
      if (summary.interrupted) {
        io.stderr.write(formatInterruption(summary.interrupted));
        exitCode = exitCodeForSignal(summary.interrupted.signal);
      }
    } finally {
      signals?.dispose();
    }
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    exitCode = exitCodeFor(error);
    if (!(error instanceof CommanderError))
      io.stderr.write(`expiry-alerts: ${await describeForUser(error)}\n`);
  }
  return exitCode;
}

async function describeForUser(error: unknown): Promise<string> {
  if (isUsageError(error) || error instanceof ScanInterruptedError) return error.message;
  const { describe } = await import('./local/run-local-scan.ts');
  return describe(error);
}

function stopNotice(signal: StopSignal): string {
  const again = signal === 'SIGINT' ? 'press Ctrl-C again' : 'send SIGTERM again';
  return `${signal}: stopping: no new alerts are started, those in flight finish and the digest of what was sent goes out (${again} to stop at once)`;
}
