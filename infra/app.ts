/**
 * The CDK app: CDK context -> validated configuration -> the ExpiryAlerts stack, checked by cdk-nag's
 * AwsSolutions rules. A wrong context value stops synthesis with one line naming the key and the value.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../functions/core/config.ts';
import { parseStackConfig, parseStackName } from './config.ts';
import { ExpiryAlertsStack } from './expiry-alerts-stack.ts';

const app = new App();
try {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  new ExpiryAlertsStack(app, parseStackName(context('stackName')), {
    config: parseStackConfig(context),
    description: 'expiry-alerts: DigiCert CertCentral certificate expiry alerts',
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid CDK context: ${error.message}`);
  process.exit(2);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
