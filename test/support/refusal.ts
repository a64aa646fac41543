import { ConfigError } from '../../functions/core/config.ts';

/** The `ConfigError` that `read` throws; fails the test when it throws nothing or something else. */
export function refusal(read: () => unknown, what = 'the value'): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${what} was accepted`);
}
