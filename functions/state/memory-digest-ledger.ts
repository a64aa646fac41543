/**
 * The DigestLedger of one process (the local command, where the alert stage runs in-process): each scan's
 * recorded events go straight into a `DigestBuilder`, so a flood of 100,000 alerts keeps only the listed few.
 */
import { DigestBuilder, type DigestLedger, type OpenDigest, type RecordedEvent } from '../core/digest.ts';
import type { AlertDigest } from '../core/model.ts';

interface ScanDigest {
  builder: DigestBuilder;
  recorded: Set<string>;
  openedAt: string | null;
}

export class MemoryDigestLedger implements DigestLedger {
  private readonly scans = new Map<string, ScanDigest>();

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

  async digest(scannedAt: string): Promise<AlertDigest | null> {
    return this.scans.get(scannedAt)?.builder.build(scannedAt) ?? null;
  }

  async close(scannedAt: string): Promise<void> {
    this.scans.delete(scannedAt);
  }

  private scan(scannedAt: string): ScanDigest {
    let scan = this.scans.get(scannedAt);
    if (!scan) {
      scan = { builder: new DigestBuilder(), recorded: new Set(), openedAt: null };
      this.scans.set(scannedAt, scan);
    }
    return scan;
  }
}
