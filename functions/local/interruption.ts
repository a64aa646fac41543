/**
 * SIGINT (Ctrl-C) and SIGTERM during a local scan. The first signal asks the scan to stop: it takes no new
 * work, lets the sends in flight finish (a CertCentral request in flight is dropped: nothing is claimed until
 * the enrichment is done), sends the digest of what was sent, releases the state directory and exits 130
 * (SIGINT) or 143 (SIGTERM). A second signal exits at once; whatever was in flight is then resolved by the next
 * scan (`leftovers.ts`).
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** 128 + the signal's number, as shells report a process ended by it. */
export function exitCodeForSignal(signal: StopSignal): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The reason of the scan's `AbortSignal`: what work dropped because of it throws. */
export class StopRequestedError extends Error {
  override readonly name = 'StopRequestedError';
  constructor(readonly signal: StopSignal) {
    super(`the scan was asked to stop (${signal})`);
  }
}

/** The signal that stopped the scan, or null while it runs on. */
export function stopSignalOf(signal: AbortSignal | undefined): StopSignal | null {
  if (!signal?.aborted) return null;
  return signal.reason instanceof StopRequestedError ? signal.reason.signal : 'SIGINT';
}

/** The scan stopped before its alert stage, on a signal: nothing of this scan was sent. */
export class ScanInterruptedError extends Error {
  override readonly name = 'ScanInterruptedError';
  constructor(
    readonly signal: StopSignal,
    stage: string,
  ) {
    super(`interrupted (${signal}) ${stage}: no alert of this scan was sent; the next scan starts over`);
  }
}

/** Where signals come from: `process`, or a test's emitter. */
export interface SignalSource {
  on(signal: StopSignal, listener: () => void): unknown;
  off(signal: StopSignal, listener: () => void): unknown;
}

export interface SignalWatch {
  /** Aborted, with the signal as its reason, at the first signal. */
  signal: AbortSignal;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM: the first aborts `signal` and calls `onStop`; the second calls `onForce`
 * (which is expected to exit).
 */
export function watchSignals(
  source: SignalSource,
  handlers: { onStop: (signal: StopSignal) => void; onForce: (signal: StopSignal) => void },
): SignalWatch {
  const controller = new AbortController();
  const listeners = STOP_SIGNALS.map((name) => {
    const listener = () => {
      if (controller.signal.aborted) {
        handlers.onForce(name);
        return;
      }
      controller.abort(new StopRequestedError(name));
      handlers.onStop(name);
    };
    source.on(name, listener);
    return { name, listener };
  });
  return {
    signal: controller.signal,
    dispose: () => {
      for (const { name, listener } of listeners) source.off(name, listener);
    },
  };
}
