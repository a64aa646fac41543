const ELLIPSIS = '…';

/** Collapses control characters and line separators to single spaces, so a value stays on one line. */
export function singleLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Cuts `text` to at most `maxLength` UTF-16 units, ending with an ellipsis, never inside a surrogate pair. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  let kept = '';
  for (const character of text) {
    if (kept.length + character.length > maxLength - ELLIPSIS.length) break;
    kept += character;
  }
  return `${kept}${ELLIPSIS}`;
}
