/**
 * The README's and the deploy guide's settings tables, made from the settings declarations so they cannot
 * drift from the code. `npm run docs:settings` writes them between their markers; a test checks they are current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { SettingGroup } from '../functions/config/setting.ts';
import {
  LIST_SETTING_GROUPS,
  MUTE_SETTING_GROUPS,
  MUTES_SETTING_GROUPS,
  UNMUTE_SETTING_GROUPS,
} from '../functions/local/command-settings.ts';
import { SCAN_SETTING_GROUPS } from '../functions/local/scan-options.ts';
import { TEST_ALERT_SETTING_GROUPS } from '../functions/local/test-alert-command.ts';
import { CONTEXT_SETTING_GROUPS } from '../infra/config.ts';

export interface GeneratedTable {
  /** Repository-relative file. */
  file: string;
  /** The marker's name: `<!-- settings:NAME -->` … `<!-- /settings:NAME -->`. */
  name: string;
  render: () => string;
}

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string): string => `\`${text}\``;
/** A value in code style; a phrase (`none`, `the current time`) or text already marked up as it is. */
const shownDefault = (text: string): string =>
  (/^[A-Za-z' ]+$/.test(text) && (text.includes(' ') || text === text.toLowerCase())) || text.includes('`')
    ? text
    : code(text);

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function settingsOf(groups: readonly SettingGroup[]) {
  return groups.flatMap((group) => Object.values(group));
}

export function scanOptionsTable(): string {
  return optionsTable(SCAN_SETTING_GROUPS);
}

export function testAlertOptionsTable(): string {
  return optionsTable(TEST_ALERT_SETTING_GROUPS);
}

/** A command's options, in `--help`'s order. */
export function optionsTable(groups: readonly SettingGroup[]): string {
  const rows = settingsOf(groups).flatMap((setting) => {
    const { flag } = setting;
    if (!flag) return [];
    const option = code(flag.value ? `${flag.name} <${flag.value}>` : flag.name);
    const fallback = flag.inverts ? 'off' : shownDefault(setting.shownDefault);
    const env = flag.env ? ` (env ${code(flag.env)})` : '';
    const context = setting.context ? ` CDK context: ${code(setting.context)}.` : '';
    return [[option, `${fallback}${env}`, `${flag.meaning ?? setting.meaning}${context}`]];
  });
  return table(['option', 'default', 'meaning'], rows);
}

export function contextTable(): string {
  const rows = settingsOf(CONTEXT_SETTING_GROUPS).flatMap((setting) => {
    if (!setting.context) return [];
    const flag = setting.flag
      ? ` Local command: ${code(setting.flag.name)}${setting.flag.inverts ? ' sets it to false' : ''}.`
      : '';
    return [
      [
        code(setting.context),
        shownDefault(setting.shownDefault),
        `${setting.meaning}${flag}`,
        setting.example ? code(setting.example) : '',
      ],
    ];
  });
  return table(['key', 'default', 'meaning', 'example'], rows);
}

export const GENERATED_TABLES: readonly GeneratedTable[] = [
  { file: 'README.md', name: 'scan-options', render: scanOptionsTable },
  { file: 'README.md', name: 'test-alert-options', render: testAlertOptionsTable },

  { file: 'README.md', name: 'list-options', render: () => optionsTable(LIST_SETTING_GROUPS) },
  { file: 'README.md', name: 'mute-options', render: () => optionsTable(MUTE_SETTING_GROUPS) },
  { file: 'README.md', name: 'unmute-options', render: () => optionsTable(UNMUTE_SETTING_GROUPS) },
  { file: 'README.md', name: 'mutes-options', render: () => optionsTable(MUTES_SETTING_GROUPS) },
  { file: 'docs/deploy.md', name: 'context', render: contextTable },
];

const ROOT = new URL('..', import.meta.url);

/** The file's text with the table between its markers replaced by `rendered`. */
export function withTable(text: string, name: string, rendered: string): string {
  const start = `<!-- settings:${name} (npm run docs:settings writes this table) -->`;
  const end = `<!-- /settings:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`the markers of the ${name} table are missing`);
  return `${text.slice(0, from + start.length)}\n\n${rendered}\n\n${text.slice(to)}`;
}

export function readDoc(file: string): string {
  return readFileSync(new URL(file, ROOT), 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, name, render } of GENERATED_TABLES) {
    writeFileSync(new URL(file, ROOT), withTable(readDoc(file), name, render()));
    process.stdout.write(`${file}: ${name} table written\n`);
  }
}
