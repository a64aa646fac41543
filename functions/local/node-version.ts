/**
 * The Node.js versions the command runs on. Node.js 20 still works but is past its end of life, and the AWS SDK
 * will need 22 from January 2027 (the Lambda functions run on 22): on an older Node.js the command says so in
 * one line, instead of the SDK's nine-line `NodeVersionSupportWarning`.
 */

export const RECOMMENDED_NODE_MAJOR = 22;

/** The variable the AWS SDK documents to turn its Node.js version notice off (aws/aws-sdk-js-v3#7983). */
export const SDK_NODE_NOTICE_VARIABLE = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** The one line for a Node.js older than recommended (`version` as in `process.versions.node`), else undefined. */
export function nodeVersionAdvice(version: string): string | undefined {
  const major = Number.parseInt(version, 10);
  if (!(major < RECOMMENDED_NODE_MAJOR)) return undefined;
  return `expiry-alerts: Node.js ${version} is past its end of life; use Node.js ${RECOMMENDED_NODE_MAJOR} or newer (the AWS SDK will require it from January 2027; the Lambda functions run on ${RECOMMENDED_NODE_MAJOR}).`;
}
