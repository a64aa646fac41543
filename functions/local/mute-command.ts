/**
 * `mute`, `unmute` and `mutes`: silence an order (or one duplicate certificate of it) until a date with a reason,
 * end a mute early, and list the mutes, active and ended. A mute must name something known: the state first
 * (no call), else CertCentral (the order endpoint, then the subaccount one; the duplicates listing for
 * `--certificate`). Nothing is recorded when a flag is wrong or the order is unknown.
 */
import { CertCentralClient, type CertCentralClientOptions } from '../certcentral/certcentral-client.ts';
import { digicertWindows } from '../certcentral/rate-limiter.ts';
import { readSettings } from '../config/setting.ts';
import { CERTCENTRAL_SETTINGS } from '../config/shared-settings.ts';
import { ConfigError } from '../core/config.ts';
import { type Mute, muteStatus, newMute } from '../core/mutes.ts';
import { fromFlags } from './cli-settings.ts';
import {
  BY_SETTING,
  COMMAND_NOW_SETTING,
  currentUser,
  MUTE_SETTINGS,
  MUTE_TARGET_SETTINGS,
  MUTES_SETTINGS,
} from './command-settings.ts';
import type { ScanFlags } from './scan-options.ts';
import { type CommandState, openCommandState, resolveCommandState } from './state-access.ts';
import { textTable } from './text-table.ts';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Client settings that flags do not reach (tests inject sleep and random). */
  certCentral?: Partial<CertCentralClientOptions>;
}

/** `unmute` named an order or certificate that has no active mute. */
import { NoActiveMuteError } from './usage-errors.ts';

export { NoActiveMuteError };

/** "order 100004 and its duplicates", "certificate 500123 of order 100004". */
export function targetLabel(orderId: number, certificateId: number | null): string {
  return certificateId === null
    ? `order ${orderId} (its certificate and its duplicates)`
    : `certificate ${certificateId} of order ${orderId}`;
}

function target(flags: ScanFlags, env: NodeJS.ProcessEnv) {
  const { order, certificate } = readSettings(MUTE_TARGET_SETTINGS, fromFlags(flags, env));
  if (order === null) throw new ConfigError('--order', '', 'is required: the order to mute or unmute');
  return { orderId: order, certificateId: certificate };
}

function required<T>(value: T | null, flag: string, what: string): T {
  if (value === null) throw new ConfigError(flag, '', `is required: ${what}`);
  return value;
}

async function withState<T>(
  flags: ScanFlags,
  env: NodeJS.ProcessEnv,
  work: (state: CommandState) => Promise<T>,
) {
  const state = await openCommandState(resolveCommandState(flags, env));
  try {
    return await work(state);
  } finally {
    await state.close();
  }
}

export async function runMute(flags: ScanFlags, io: CommandIo): Promise<Mute> {
  const source = fromFlags(flags, io.env);
  const { orderId, certificateId } = target(flags, io.env);
  const settings = readSettings(MUTE_SETTINGS, source);
  const { by } = readSettings(BY_SETTING, source);
  const { now } = readSettings(COMMAND_NOW_SETTING, source);
  const { baseUrl } = readSettings(CERTCENTRAL_SETTINGS, source);
  const mute = newMute(
    {
      orderId,
      certificateId,
      until: required(settings.until, '--until', 'the date the mute ends (yyyy-MM-dd)'),
      reason: required(settings.reason, '--reason', 'why the certificate is muted'),
      by: by ?? currentUser(io.env),
    },
    now ?? new Date(),
  );
  return withState(flags, io.env, async ({ mutes }) => {
    const known = await mutes.knowledgeOf(orderId);
    const certCentral = () => {
      const apiKey = io.env.DIGICERT_API_KEY?.trim();
      if (!apiKey) {
        throw new ConfigError(
          '--order',
          String(orderId),
          'is not in the state: set DIGICERT_API_KEY so that CertCentral can be asked about it',
        );
      }
      return new CertCentralClient({
        baseUrl,
        apiKey,
        limits: digicertWindows({ per5s: 100, per3min: 1000 }),
        ...io.certCentral,
      });
    };
    if (!known.order) await requireOrderInCertCentral(certCentral(), orderId);
    if (certificateId !== null) {
      const duplicates = known.duplicateIds ?? (await listedDuplicateIds(certCentral(), orderId));
      if (!duplicates.includes(certificateId)) {
        const listed = duplicates.length === 0 ? 'it has none' : `its duplicates: ${duplicates.join(', ')}`;
        throw new ConfigError(
          '--certificate',
          String(certificateId),
          `is not a duplicate certificate of order ${orderId} (${listed}); mute the order to silence its own certificate`,
        );
      }
    }
    await mutes.putMute(mute);
    io.stdout.write(
      `muted ${targetLabel(orderId, certificateId)} until ${mute.until}: ${mute.reason} (by ${mute.by})\n`,
    );
    return mute;
  });
}

async function requireOrderInCertCentral(client: CertCentralClient, orderId: number): Promise<void> {
  const direct = await client.order(orderId);
  if (direct.found) return;
  const subaccount = await client.subaccountOrder(orderId);
  if (subaccount.found) return;
  throw new ConfigError('--order', String(orderId), 'is not an order the state or CertCentral knows');
}

async function listedDuplicateIds(client: CertCentralClient, orderId: number): Promise<number[]> {
  return ((await client.duplicates(orderId)) ?? []).map((duplicate) => duplicate.id);
}

export async function runUnmute(flags: ScanFlags, io: CommandIo): Promise<Mute> {
  const source = fromFlags(flags, io.env);
  const { orderId, certificateId } = target(flags, io.env);
  const { by } = readSettings(BY_SETTING, source);
  const { now } = readSettings(COMMAND_NOW_SETTING, source);
  return withState(flags, io.env, async ({ mutes }) => {
    const ended = await mutes.endMute(orderId, certificateId, now ?? new Date(), by ?? currentUser(io.env));
    if (!ended) {
      throw new NoActiveMuteError(
        `${targetLabel(orderId, certificateId)} has no active mute (expiry-alerts mutes lists them)`,
      );
    }
    io.stdout.write(
      `unmuted ${targetLabel(orderId, certificateId)}: it was muted until ${ended.until} by ${ended.by} (${ended.reason})\n`,
    );
    return ended;
  });
}

/** Active ones first (soonest to end first), then ended ones (latest ended first). */
function mutesInOrder(mutes: readonly Mute[], at: Date): Mute[] {
  const active = (mute: Mute) => muteStatus(mute, at) === 'active';
  const end = (mute: Mute) => mute.endedAt ?? `${mute.until}T00:00:00.000Z`;
  return [...mutes].sort(
    (a, b) =>
      Number(active(b)) - Number(active(a)) ||
      (active(a) ? end(a).localeCompare(end(b)) : end(b).localeCompare(end(a))) ||
      a.orderId - b.orderId ||
      (a.certificateId ?? 0) - (b.certificateId ?? 0),
  );
}

function statusLabel(mute: Mute, at: Date): string {
  const status = muteStatus(mute, at);
  if (status === 'unmuted') return `unmuted ${mute.endedAt?.slice(0, 10)} by ${mute.endedBy}`;
  return status === 'expired' ? `ended ${mute.until}` : 'active';
}

export function formatMutes(mutes: readonly Mute[], at: Date): string {
  if (mutes.length === 0) return 'no mutes\n';
  const rows = mutesInOrder(mutes, at).map((mute) => ({
    order: mute.orderId,
    certificate: mute.certificateId ?? 'all',
    status: statusLabel(mute, at),
    until: mute.until,
    by: mute.by,
    set: mute.createdAt.slice(0, 10),
    reason: mute.reason,
  }));
  return `${textTable(rows, { columnSplitter: '  ', truncate: true, config: { reason: { maxWidth: 60 } } })}\n`;
}

export async function runMutes(flags: ScanFlags, io: CommandIo): Promise<Mute[]> {
  const source = fromFlags(flags, io.env);
  const { json } = readSettings(MUTES_SETTINGS, source);
  const at = readSettings(COMMAND_NOW_SETTING, source).now ?? new Date();
  return withState(flags, io.env, async ({ mutes }) => {
    const all = mutesInOrder(await mutes.mutes(), at);
    io.stdout.write(
      json
        ? `${JSON.stringify(
            all.map((mute) => ({ ...mute, status: muteStatus(mute, at) })),
            null,
            2,
          )}\n`
        : formatMutes(all, at),
    );
    return all;
  });
}
