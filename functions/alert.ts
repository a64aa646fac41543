/** Alert Lambda entry point (SQS work queue): wires AWS once per cold start; the handler does the rest. */
import { makeHandler } from './handlers/alert-handler.ts';
import { awsAdapters } from './runtime/aws-adapters.ts';
import { readAlertEnvironment } from './runtime/environment.ts';

const env = readAlertEnvironment(process.env);

export const handler = makeHandler({ env, ...awsAdapters(env) });
