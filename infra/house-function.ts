/**
 * The one way this app builds a Lambda function: Node.js 22 on ARM64, X-Ray tracing, its own role and log group
 * with retention, bundled as ESM with source maps by the local esbuild.
 */
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** ESM bundles still load CommonJS dependencies that call `require`. */
const REQUIRE_BANNER =
  "import { createRequire as __houseCreateRequire } from 'node:module'; const require = __houseCreateRequire(import.meta.url);";

/** The handlers' Powertools metrics land here, with the dimension service=SERVICE_NAME. */
export const SERVICE_NAME = 'expiry-alerts';
export const METRICS_NAMESPACE = 'ExpiryAlerts';

const HOUSE_ENVIRONMENT: Readonly<Record<string, string>> = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
};

export interface HouseFunctionProps {
  /** The handler's file, relative to the repository root (`functions/scan.ts`); it exports `handler`. */
  entry: string;
  description: string;
  memorySize: number;
  timeout: Duration;
  logRetention: logs.RetentionDays;
  /** Names and ARNs only, never a secret's value. Added to the house variables. */
  environment?: Readonly<Record<string, string>>;
  reservedConcurrentExecutions?: number;
}

export class HouseFunction extends Construct implements iam.IGrantable {
  readonly lambda: NodejsFunction;
  readonly role: iam.Role;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    logGroup.grantWrite(this.role);
    this.grantPrincipal = this.role;

    this.lambda = new NodejsFunction(this, 'Function', {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { ...props.environment, ...HOUSE_ENVIRONMENT },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        banner: REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        target: 'node22',
        minify: true,
        sourceMap: true,
        bundleAwsSDK: true,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${this.node.path}: X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource ARN.`,
    });
    Validations.of(this.lambda).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${this.node.path}: the project targets the Node.js 22 runtime (bundled for node22) until it is tested on a newer one.`,
    });
  }
}
