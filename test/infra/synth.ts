/**
 * Synthesizes the app the way `cdk synth` does (cdk.json's context, cdk-nag's AwsSolutions checks) with extra
 * context, and hands back the templates and the cdk-nag findings left unacknowledged.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseStackConfig } from '../../infra/config.ts';
import { ExpiryAlertsStack } from '../../infra/expiry-alerts-stack.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

const synthRoot = mkdtempSync(join(tmpdir(), 'expiry-alerts-synth-'));

/** Deletes every cloud assembly (bundles included) that `synthesize` wrote. */
export function removeSynthOutputs(): void {
  rmSync(synthRoot, { recursive: true, force: true });
}

export interface Synthesized {
  templates: Record<string, Template>;
  /** `RuleId path` for every finding cdk-nag reported and nothing acknowledged. */
  nagFindings: string[];
}

interface ValidationReport {
  pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** One app holding a stack per entry of `stacks` (stack id -> context on top of cdk.json's). */
export function synthesize(stacks: Record<string, Record<string, unknown>>): Synthesized {
  const outdir = mkdtempSync(join(synthRoot, 'app-'));
  const app = new App({ outdir, context: cdkJson.context });
  const built = Object.entries(stacks).map(([id, context]) => {
    const lookup = (key: string): unknown => (key in context ? context[key] : app.node.tryGetContext(key));
    return new ExpiryAlertsStack(app, id, { config: parseStackConfig(lookup) });
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let synthError: unknown = null;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  // Templates and the validation report are written before cdk-nag's errors stop the synthesis.
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
  const nagFindings = report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${violation.ruleName} ${construct.constructPath}`),
    ),
  );
  if (synthError && nagFindings.length === 0) throw synthError;
  const templates = Object.fromEntries(
    built.map((stack) => [
      stack.node.id,
      Template.fromJSON(JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8'))),
    ]),
  );
  return { templates, nagFindings };
}
