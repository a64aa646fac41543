import { describe, expect, it } from 'vitest';
import { nodeVersionAdvice } from '../../../functions/local/node-version.ts';

describe('the advice to use a newer Node.js', () => {
  it.each(['20.11.0', '20.20.2', '21.7.3'])('is one line naming Node.js %s and 22 or newer', (version) => {
    const advice = nodeVersionAdvice(version);

    expect(advice).toContain(`Node.js ${version}`);
    expect(advice).toContain('Node.js 22 or newer');
    expect(advice).not.toContain('\n');
  });

  it.each(['22.0.0', '22.12.0', '24.1.0'])('is not given on Node.js %s', (version) => {
    expect(nodeVersionAdvice(version)).toBeUndefined();
  });
});
