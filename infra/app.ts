/**
 * The CDK app: CDK context -> validated configuration -> the ExpiryAlerts stack, checked by cdk-nag's
 * AwsSolutions rules. A wrong context value stops synthesis with one line naming the key and the value; a
 * configuration that tells nobody anything synthesizes with a one-line warning.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/core/config.ts';
import { parseStackConfig, parseStackName, stackWarnings } from './config.ts';
import { ExpiryAlertsStack } from './expiry-alerts-stack.ts';

const app = new App();
try {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const config = parseStackConfig(context);
  for (const warning of stackWarnings(config)) console.warn(`Warning: ${warning}`);
  new ExpiryAlertsStack(app, parseStackName(context('stackName')), {
    config,
    description: 'expiry-alerts: DigiCert CertCentral certificate expiry alerts',
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid CDK context: ${error.message}`);
  process.exit(2);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
