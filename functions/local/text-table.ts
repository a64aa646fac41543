/** A table for the terminal: columns aligned (by display width), headings in capitals, no trailing blanks. */
import columnify from 'columnify';

export function textTable(
  rows: Parameters<typeof columnify>[0],
  options: columnify.GlobalOptions = {},
): string {
  return columnify(rows, options)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
