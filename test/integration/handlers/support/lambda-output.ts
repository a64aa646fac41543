/**
 * What a Lambda function writes: Powertools log lines and EMF metric lines, captured from stdout and stderr
 * (where Powertools writes outside `POWERTOOLS_DEV`), and the context Lambda passes to a handler.
 */
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, vi } from 'vitest';
import { metrics } from '../../../../functions/runtime/observability.ts';

export interface LambdaOutput {
  /** Everything written, as written. */
  text(): string;
  /** The log lines (metric lines excluded), parsed. */
  logs(): Record<string, unknown>[];
  /** Each metric published, summed over every EMF line. */
  metrics(): Record<string, number>;
}

type Line = Record<string, unknown>;

interface EmfDirective {
  CloudWatchMetrics: { Metrics: { Name: string }[] }[];
}

const parsedLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);

function metricTotals(lines: readonly Line[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of lines) {
    const directive = line._aws as EmfDirective | undefined;
    for (const { Metrics } of directive?.CloudWatchMetrics ?? []) {
      for (const { Name } of Metrics) {
        const values = [line[Name]].flat() as number[];
        totals[Name] = (totals[Name] ?? 0) + values.reduce((sum, value) => sum + value, 0);
      }
    }
  }
  return totals;
}

/** Captures (and silences) stdout and stderr until the test's mocks are restored. */
export function captureLambdaOutput(): LambdaOutput {
  let text = '';
  const write = (chunk: string | Uint8Array): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  vi.spyOn(process.stderr, 'write').mockImplementation(write);
  return {
    text: () => text,
    logs: () => parsedLines(text).filter((line) => !('_aws' in line)),
    metrics: () => metricTotals(parsedLines(text)),
  };
}

/**
 * Call at the top of a handler test file: each test starts with no pending metrics and its output captured,
 * and its mocks are restored after it. The returned output is the running test's.
 */
export function useLambdaOutput(): LambdaOutput {
  let current: LambdaOutput | undefined;
  beforeEach(() => {
    metrics.clearMetrics();
    current = captureLambdaOutput();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const running = (): LambdaOutput => {
    if (!current) throw new Error('useLambdaOutput: read the output inside a test');
    return current;
  };
  return {
    text: () => running().text(),
    logs: () => running().logs(),
    metrics: () => running().metrics(),
  };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/23/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
