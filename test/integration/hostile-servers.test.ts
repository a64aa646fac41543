/**
 * The real `expiry-alerts scan` against a hostile CertCentral that echoes the API key into every answer: each
 * failure path ends with the message it should, the exit code it should, and the key nowhere in stdout or
 * stderr, not even a part of it. The clock is the wall clock plus every wait slept, and sleeping returns at once:
 * retries cost no real time, while a server that hangs is given a short real timeout.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertCentralClientOptions } from '../../functions/certcentral/certcentral-client.ts';
import { main } from '../../functions/cli.ts';
import { ECHO_NOW, type EchoingServer, keyFragments, startEchoingServer } from '../support/echoing-server.ts';
import { HOSTILE_CASES } from '../support/hostile-cases.ts';
import { useScanFixture } from '../support/scan-fixture.ts';
import { hybridTime } from '../unit/certcentral/support/fake-time.ts';

const KEY = 'EchoKey-7Qz3Vw9Lp2Xs6Rn4';

const { freshState } = useScanFixture();

let server: EchoingServer;
beforeAll(async () => {
  server = await startEchoingServer();
});
afterAll(() => server.close());

class TextCapture extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void) {
    this.text += chunk.toString();
    done();
  }
}

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function scan(
  flags: readonly string[],
  options: { env?: NodeJS.ProcessEnv; client?: Partial<CertCentralClientOptions> } = {},
): Promise<Run> {
  const stdout = new TextCapture();
  const stderr = new TextCapture();
  const exitCode = await main(['scan', '--now', ECHO_NOW, ...freshState(), ...flags], {
    stdout,
    stderr,
    env: options.env ?? { DIGICERT_API_KEY: KEY },
    certCentral: { ...hybridTime(), random: () => 0.5, ...options.client },
  });
  return { exitCode, stdout: stdout.text, stderr: stderr.text };
}

/** A hanging server is given 50 ms per attempt and 300 ms in all. */
const HANG_BUDGET: Partial<CertCentralClientOptions> = { timeoutMs: 50, retry: { maxElapsedMs: 300 } };

describe('a hostile CertCentral that echoes the key', () => {
  const modes = [
    ['--json', ['--json']],
    ['text', []],
  ] as const;

  for (const hostile of HOSTILE_CASES) {
    it.each(modes)(`${hostile.name} (%s)`, async (_mode, modeFlags) => {
      server.script(hostile.answers);

      const run = await scan(['--base-url', server.url, ...modeFlags, ...(hostile.flags ?? [])], {
        client: hostile.hangs ? HANG_BUDGET : {},
      });

      const output = `${run.stdout}\n${run.stderr}`;
      expect(server.keysSeen).toContain(KEY);
      expect(keyFragments(output, KEY)).toEqual([]);
      for (const said of hostile.says) expect(run.stderr).toContain(said.replaceAll('{url}', server.url));
      expect(run.stderr).not.toMatch(/CertCentral\w*Error|ConfigError/);
      expect(run.exitCode, run.stderr).toBe(hostile.exitCode);
      if (hostile.stage === 'data') expect(output).toContain('[redacted]');
    });
  }
});

describe('a CertCentral that cannot be reached', () => {
  it('names the base URL and the reason, within the budget, and exits 1', async () => {
    const closed = await startEchoingServer();
    await closed.close();

    const run = await scan(['--base-url', closed.url]);

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `expiry-alerts: cannot reach CertCentral at ${closed.url}: connection refused \\(ECONNREFUSED\\); ` +
          'gave up after 8 attempts in 46 s\\n',
      ),
    );
    expect(run.stderr).toContain(
      'warning: waiting 8 s before retry 5 of 7 of the CertCentral report request',
    );
  });
});

describe('a key that cannot go in a header', () => {
  it('is refused before any request with exit 2, and not shown', async () => {
    const before = server.requests();
    const badKey = `${KEY}\u0007`;

    const run = await scan(['--base-url', server.url], { env: { DIGICERT_API_KEY: badKey } });

    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'expiry-alerts: apiKey: "(hidden)" has a character an HTTP header cannot carry (a line break, a control or ' +
        'non-ASCII character): check DIGICERT_API_KEY or the DigiCert API key secret',
    );
    expect(keyFragments(`${run.stdout}${run.stderr}`, KEY)).toEqual([]);
    expect(server.requests()).toBe(before);
  });
});
