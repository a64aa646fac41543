// Lambda entry point: implemented with the core (see functions/core). Placeholder until then.
export const handler = async (): Promise<void> => {};
