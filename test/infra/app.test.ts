import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/house-function.ts';

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

const outputs = mkdtempSync(join(tmpdir(), 'expiry-alerts-app-'));
afterAll(() => rmSync(outputs, { recursive: true, force: true }));

/** Runs infra/app.ts as `cdk synth` does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(outputs, 'run-'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context }),
      CDK_OUTDIR: outdir,
    },
  });
  return { ...run, outdir };
}

describe('infra/app.ts', () => {
  it.each([
    [{ thresholds: '30,abc' }, 'thresholds: "30,abc"'],
    [{ notifyEmails: 'ops@example' }, 'notifyEmails: "ops@example"'],
    [{ schedule: 'every day' }, 'schedule: "every day"'],
    [{ schedule: 'cron(0 6 ? * MON *)' }, 'schedule: "cron(0 6 ? * MON *)" leaves up to 7 days'],

    [
      { routes: '[{"name":"web","emails":["web@example.com"],"containers":"Web Team"}]' },
      'routes, route "web", key "containers": "Web Team" is not a list of strings',
    ],
  ])('stops on %j with one line naming the key and the value, and exit code 2', (context, named) => {
    const run = runApp(context);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`Invalid CDK context: ${named}`)]);
  });

  it('synthesizes the ExpiryAlerts stack, or the stack named by the context, with cdk-nag clean', () => {
    const run = runApp({ stackName: 'ExpiryAlertsStaging' });
    expect(run.stderr).not.toContain('AwsSolutions');
    expect(run.status).toBe(0);
    // cdk.json names nobody to tell: one line says so, and synthesis goes on.
    expect(run.stderr.split('\n').filter((line) => line.startsWith('Warning: '))).toEqual([
      expect.stringContaining('nobody will be told of an expiring certificate'),
    ]);
    expect(existsSync(join(run.outdir, 'ExpiryAlertsStaging.template.json'))).toBe(true);
  });
});
