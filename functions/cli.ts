/**
 * `expiry-alerts`: the local command. Parses and validates flags (exit 2 before any API call when one is
 * wrong), runs the scan, prints alerts on stdout and progress and the summary on stderr.
 */
import { Command, CommanderError } from 'commander';
import { CertCentralKeyRefusedError } from './certcentral/errors.ts';
import { Redactor } from './certcentral/redact.ts';
import { ConfigError } from './core/config.ts';
import { addSettingOptions } from './local/cli-settings.ts';
import { redactingOutput } from './local/redacting-output.ts';
import { describe, type LocalScanIo, runLocalScan } from './local/run-local-scan.ts';
import { resolveScanOptions, SCAN_SETTING_GROUPS, type ScanFlags } from './local/scan-options.ts';
import { stderrLog } from './local/stderr-log.ts';
import { formatSummary } from './local/summary.ts';
import { addTestAlertCommand } from './local/test-alert-command.ts';

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
  if (error instanceof ConfigError || error instanceof CertCentralKeyRefusedError) return EXIT_USAGE;
  return EXIT_FAILED;
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

Each CertCentral request gets 30 s per attempt and about 2 minutes in all, retries included; a wait of more
than 5 s before a retry is shown on stderr.

Exit codes: 0 done, 1 failed (after retries; what failed is left for the next scan),
            2 bad usage or configuration (a wrong flag or value, a missing or refused API key).`,
    )
    .action(runScan);
  addTestAlertCommand(program, io);
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
  if (error instanceof ConfigError || error instanceof CertCentralKeyRefusedError) return error.message;
  return describe(error);
}
