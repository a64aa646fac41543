/**
 * `expiry-alerts`: the local command. Parses and validates flags (exit 2 before any API call when one is
 * wrong), runs the scan, prints alerts on stdout and progress and the summary on stderr.
 */
import { Command, CommanderError } from 'commander';
import { CertCentralKeyRefusedError } from './certcentral/errors.ts';
import { ConfigError } from './core/config.ts';
import { addSettingOptions } from './local/cli-settings.ts';
import {
  LIST_SETTING_GROUPS,
  MUTE_SETTING_GROUPS,
  MUTES_SETTING_GROUPS,
  UNMUTE_SETTING_GROUPS,
} from './local/command-settings.ts';
import { runList } from './local/list-command.ts';
import { NoActiveMuteError, runMute, runMutes, runUnmute } from './local/mute-command.ts';
import { describe, type LocalScanIo, runLocalScan } from './local/run-local-scan.ts';
import { resolveScanOptions, SCAN_SETTING_GROUPS, type ScanFlags } from './local/scan-options.ts';
import { StateTableNotFoundError } from './local/state-access.ts';
import { stderrLog } from './local/stderr-log.ts';
import { formatSummary } from './local/summary.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Client settings that flags do not reach (tests inject sleep and random). */
  certCentral?: LocalScanIo['certCentral'];
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The one place where errors become exit codes. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (isUsageError(error)) return EXIT_USAGE;
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
      await runMute(flags, commandIo);
    });
  const unmute = program
    .command('unmute')
    .description('End the active mute of an order or of one duplicate certificate.');
  addSettingOptions(unmute, ...UNMUTE_SETTING_GROUPS)
    .addHelpText('after', STATE_HELP)
    .action(async (flags) => {
      await runUnmute(flags, commandIo);
    });
  const mutes = program
    .command('mutes')
    .description('List the mutes, active and ended, with who set them, when and why.');
  addSettingOptions(mutes, ...MUTES_SETTING_GROUPS)
    .addHelpText('after', STATE_HELP)
    .action(async (flags) => {
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
      await runList(flags, { ...commandIo, stderr: io.stderr });
    });
}

function buildProgram(io: CliIo, runScan: (flags: ScanFlags) => Promise<void>): Command {
  const program = new Command('expiry-alerts')
    .description(
      'Alerts on DigiCert CertCentral certificates that cross an expiry threshold, each crossing once.',
    )
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

Exit codes: 0 done, 1 failed (after retries; what failed is left for the next scan),
            2 bad usage or configuration (a wrong flag or value, a missing or refused API key).`,
    )
    .action(runScan);
  addReviewCommands(program, io);
  return program;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const log = stderrLog(io.stderr);
  const program = buildProgram(io, async (flags) => {
    const options = resolveScanOptions(flags, io.env);
    const summary = await runLocalScan(options, {
      stdout: io.stdout,
      log,
      ...(io.certCentral ? { certCentral: io.certCentral } : {}),
    });
    io.stderr.write(formatSummary(summary));
    if (summary.alerts.failedSends + summary.alerts.failedCandidates > 0) exitCode = EXIT_FAILED;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    exitCode = exitCodeFor(error);
    if (!(error instanceof CommanderError)) io.stderr.write(`expiry-alerts: ${describeForUser(error)}\n`);
  }
  return exitCode;
}

function describeForUser(error: unknown): string {
  if (isUsageError(error)) return error.message;
  return describe(error);
}
