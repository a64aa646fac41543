import { describe, expect, it } from 'vitest';
import { SCAN_SETTING_GROUPS } from '../../../functions/local/scan-options.ts';
import { TEST_ALERT_SETTING_GROUPS } from '../../../functions/local/test-alert-command.ts';
import { CONTEXT_SETTING_GROUPS } from '../../../infra/config.ts';
import { GENERATED_TABLES, readDoc, withTable } from '../../../scripts/settings-tables.ts';
import { runCommand } from '../../support/scan-command.ts';

describe('the settings tables of the README and the deploy guide', () => {
  it.each(GENERATED_TABLES)(
    '$file holds the current $name table (npm run docs:settings)',
    ({ file, name, render }) => {
      const text = readDoc(file);
      expect(withTable(text, name, render())).toBe(text);
    },
  );

  it('list every flag of scan and every context key, each once', () => {
    const readme = readDoc('README.md');
    const guide = readDoc('docs/deploy.md');
    for (const setting of SCAN_SETTING_GROUPS.flatMap((group) => Object.values(group))) {
      if (setting.flag) expect(readme).toContain(`\`${setting.flag.name}`);
    }
    for (const setting of CONTEXT_SETTING_GROUPS.flatMap((group) => Object.values(group))) {
      if (setting.context) expect(guide).toContain(`| \`${setting.context}\` |`);
    }
  });
});

describe.each([
  ['scan', SCAN_SETTING_GROUPS],
  ['test-alert', TEST_ALERT_SETTING_GROUPS],
] as const)('%s --help', (command, groups) => {
  it('shows every declared flag with its default, and what a switch that turns a setting off does', async () => {
    const help = await runCommand([command, '--help']);

    expect(help.exitCode).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const setting of groups.flatMap((group) => Object.values(group))) {
      const { flag } = setting;
      if (!flag) continue;
      expect(help.stdout).toContain(flag.name);
      const line = text.slice(text.indexOf(flag.name), text.indexOf(flag.name) + 400);
      if (flag.inverts) {
        expect(flag.meaning, flag.name).toBeDefined();
        expect(line).toContain(`${flag.name} ${(flag.meaning ?? '').replaceAll('`', '')}`);
        expect(line).not.toMatch(/^[^(]*\(default: true\)/);
      } else {
        expect(text).toContain(`default: ${setting.shownDefault.replaceAll('`', '')}`);
      }
    }
  });
});
