import { describe, expect, it } from 'vitest';
import {
  LIST_SETTING_GROUPS,
  MUTE_SETTING_GROUPS,
  MUTES_SETTING_GROUPS,
  UNMUTE_SETTING_GROUPS,
} from '../../../functions/local/command-settings.ts';
import { runCommand } from '../../support/scan-command.ts';

describe.each([
  ['list', LIST_SETTING_GROUPS],
  ['mute', MUTE_SETTING_GROUPS],
  ['unmute', UNMUTE_SETTING_GROUPS],
  ['mutes', MUTES_SETTING_GROUPS],
] as const)('%s --help', (command, groups) => {
  it('shows every declared flag, and how to reach a deployed table', async () => {
    const help = await runCommand([command, '--help']);
    expect(help.exitCode).toBe(0);
    for (const setting of groups.flatMap((group) => Object.values(group))) {
      if (setting.flag) expect(help.stdout).toContain(setting.flag.name);
    }
    expect(help.stdout).toContain('--table NAME --region REGION alone');
  });
});

describe('the state options of the commands beside scan', () => {
  it('refuse --table alone without a region, before touching anything', async () => {
    const noRegion = await runCommand(['mutes', '--table', 'ExpiryAlerts-State'], { env: {} });
    expect(noRegion).toMatchObject({ exitCode: 2 });
    expect(noRegion.stderr).toContain('--region: "" is needed with --table alone');
  });
});
