/**
 * The DigestLedger of one process (the local command, where the alert stage runs in-process): each scan's
 * recorded events go straight into its digest builders (`RoutedDigests`), so a flood of 100,000 alerts keeps only
 * the listed few.
 */
import { type DigestLedger, type OpenDigest, type RecordedEvent, RoutedDigests } from '../core/digest.ts';
import type { AlertDigest } from '../core/model.ts';
import type { RouteFilter } from '../core/routes.ts';

interface ScanDigest {
  builder: RoutedDigests;
  recorded: Set<string>;
  openedAt: string | null;
}

export interface MemoryDigestLedgerOptions {
  /** One digest per route, of the events its filters match; null (default): one digest of every event. */
  routes?: readonly RouteFilter[] | null;
}

export class MemoryDigestLedger implements DigestLedger {
  private readonly scans = new Map<string, ScanDigest>();
  private readonly routes: readonly RouteFilter[] | null;

  constructor(options: MemoryDigestLedgerOptions = {}) {
    this.routes = options.routes ?? null;
  }

  async record(scannedAt: string, events: readonly RecordedEvent[]): Promise<void> {
    const scan = this.scan(scannedAt);
    for (const { certKey, event } of events) {
      if (scan.recorded.has(certKey)) continue;
      scan.recorded.add(certKey);
      scan.builder.add(event);
    }
  }

  async open(scannedAt: string, now: Date): Promise<void> {
    const scan = this.scan(scannedAt);
    scan.openedAt ??= now.toISOString();
  }

  async openDigests(): Promise<OpenDigest[]> {
    const open: OpenDigest[] = [];
    for (const [scannedAt, { openedAt }] of this.scans) {
      if (openedAt !== null) open.push({ scannedAt, openedAt });
    }
    return open.sort((a, b) => a.openedAt.localeCompare(b.openedAt));
  }

  async digests(scannedAt: string): Promise<AlertDigest[]> {
    return this.scans.get(scannedAt)?.builder.build(scannedAt) ?? [];
  }

  async close(scannedAt: string): Promise<void> {
    this.scans.delete(scannedAt);
  }

  private scan(scannedAt: string): ScanDigest {
    let scan = this.scans.get(scannedAt);
    if (!scan) {
      scan = { builder: new RoutedDigests(this.routes), recorded: new Set(), openedAt: null };
      this.scans.set(scannedAt, scan);
    }
    return scan;
  }
}
