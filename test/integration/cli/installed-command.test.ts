/**
 * `expiry-alerts` as a user runs it: `bin/expiry-alerts.js` in its own process, on the bundle `npm ci` builds
 * (`scripts/build-cli.ts`), in a copy of the repository so the tests can break its build without touching the
 * real one. Only `node_modules` is shared (a symlink), as an installed checkout has it.
 */
import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, rename, rm, stat, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { buildCli, REPO_ROOT } from '../../../scripts/build-cli.ts';
import { sampleAccount } from '../../certcentral-sim/generate.ts';
import { announcedCrossings, crossingsOn } from '../../support/expected-alerts.ts';
import { API_KEY, parseEvents, runCommand, startAccountSimulator } from '../../support/scan-command.ts';

const TODAY = '2026-11-23';
const FALLBACK_NOTICE = 'so it runs from source through tsx (slower to start); `npm run build` builds it.';
const SDK_NOTICE = 'NodeVersionSupportWarning';

let root: string;
let built: Awaited<ReturnType<typeof buildCli>>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'expiry-alerts-installed-'));
  await cp(join(REPO_ROOT, 'functions'), join(root, 'functions'), { recursive: true });
  await copyFile(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  await mkdir(join(root, 'bin'));
  await copyFile(join(REPO_ROOT, 'bin/expiry-alerts.js'), join(root, 'bin/expiry-alerts.js'));
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  built = await buildCli(root);
});

afterAll(() => rm(root, { recursive: true, force: true }));

interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `expiry-alerts ARGS` in a new process. The environment holds only what is given, so the SDK's notice is not
 * silenced for the command by this suite's own setting.
 */
function expiryAlerts(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/expiry-alerts.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

describe('--version', () => {
  it('prints the version in package.json', async () => {
    const run = await runCommand(['--version']);

    expect(run).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });
});

describe('the command built at install', () => {
  it('starts from the build with nothing on stderr', async () => {
    const run = await expiryAlerts(['--version']);

    expect(run).toEqual({ exitCode: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it('parses its flags before it loads the AWS SDK, dynalite or the CertCentral client (a quick --help)', () => {
    const heavy = built.startupModules.filter((module) =>
      /node_modules\/(@aws-sdk|@smithy|dynalite)\/|functions\/(certcentral\/certcentral-client|state\/)/.test(
        module,
      ),
    );

    expect(built.startupModules).toContain('functions/cli.ts');
    expect(heavy).toEqual([]);
  });

  it('prints the scan options', async () => {
    const run = await expiryAlerts(['scan', '--help']);

    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Usage: expiry-alerts scan [options]');
    expect(run.stdout).toContain('--state-dir <dir>');
    expect(run.stderr).toBe('');
  });

  it('scans into an embedded state directory on disk, and the next scan finds everything announced', async () => {
    const account = sampleAccount(TODAY);
    const simulator = await startAccountSimulator(account);
    try {
      const scan = () =>
        expiryAlerts(['scan', '--json', '--now', TODAY, '--state-dir', join(root, 'state')], {
          DIGICERT_API_KEY: API_KEY,
          DIGICERT_BASE_URL: simulator.url,
        });
      const first = await scan();
      const second = await scan();

      expect(first.exitCode).toBe(0);
      expect(announcedCrossings(parseEvents(first.stdout))).toEqual(crossingsOn(account, TODAY));
      expect(first.stderr).not.toContain(FALLBACK_NOTICE);
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toBe('');
    } finally {
      await simulator.close();
    }
  });

  it('recommends Node.js 22 in one line of its own on an older Node.js, never the AWS SDK notice', async () => {
    const account = sampleAccount(TODAY);
    const simulator = await startAccountSimulator(account);
    try {
      const run = await expiryAlerts(['scan', '--now', TODAY, '--state-dir', join(root, 'state-advice')], {
        DIGICERT_API_KEY: API_KEY,
        DIGICERT_BASE_URL: simulator.url,
      });
      const adviceLines = run.stderr.split('\n').filter((line) => line.includes('or newer'));

      expect(run.exitCode).toBe(0);
      expect(run.stderr).not.toContain(SDK_NOTICE);
      if (Number.parseInt(process.versions.node, 10) < 22) {
        expect(adviceLines).toEqual([
          expect.stringMatching(
            new RegExp(`^expiry-alerts: Node\\.js ${process.versions.node} .*Node\\.js 22 or newer`),
          ),
        ]);
      } else {
        expect(adviceLines).toEqual([]);
      }
    } finally {
      await simulator.close();
    }
  });
});

describe('a build that cannot be used', () => {
  it('runs the source instead when a source file changed after the build, and says how to rebuild', async () => {
    const edited = join(root, 'functions/core/levels.ts');
    const { atime, mtime } = await stat(edited);
    const later = new Date(Date.now() + 60_000);
    await utimes(edited, later, later);
    try {
      const run = await expiryAlerts(['--version']);

      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(`${packageJson.version}\n`);
      expect(run.stderr).toBe(
        `expiry-alerts: functions/core/levels.ts changed after dist/cli.js was built, ${FALLBACK_NOTICE}\n`,
      );
    } finally {
      await utimes(edited, atime, mtime);
    }
  });

  it('runs the source instead when there is no build (an install with --ignore-scripts), and says how to build', async () => {
    await rename(join(root, 'dist'), join(root, 'dist-away'));
    try {
      const run = await expiryAlerts(['scan', '--help']);

      expect(run.exitCode).toBe(0);
      expect(run.stdout).toContain('Usage: expiry-alerts scan [options]');
      expect(run.stderr).toBe(`expiry-alerts: dist/cli.js is not built, ${FALLBACK_NOTICE}\n`);
    } finally {
      await rename(join(root, 'dist-away'), join(root, 'dist'));
    }
  });
});
