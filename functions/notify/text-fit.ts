import anyAscii from 'any-ascii';

const ELLIPSIS = '…';
/** Where only ASCII may go (SNS subjects), a cut ends with three dots. */
export const ASCII_ELLIPSIS = '...';

/** Collapses control characters and line separators to single spaces, so a value stays on one line. */
export function singleLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Printable ASCII on one line: other characters transliterated by any-ascii (`bücher` -> `bucher`, `東京` ->
 * `DongJing`, `😀` -> `:grinning:`), combining marks, direction marks and whatever has no ASCII form dropped.
 */
export function asciiLine(text: string): string {
  return singleLine(anyAscii(singleLine(text)).replace(/[^\x20-\x7E]+/g, ' '));
}

/**
 * Cuts `text` to at most `maxLength` UTF-16 units, ending with `ellipsis` ("…" unless told), never inside a
 * surrogate pair.
 */
export function truncate(text: string, maxLength: number, ellipsis = ELLIPSIS): string {
  if (text.length <= maxLength) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > maxLength - ellipsis.length) break;
    kept += character;
  }
  return `${kept}${ellipsis}`;
}
