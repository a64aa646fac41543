/** Stable made-up identifiers derived from ids: certificate thumbprints and serial numbers, public ids. */

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0').toUpperCase());

/** `words` 32-bit words of a splitmix-style hash of (`salt`, `id`), as upper-case hex. */
function hexOf(id: number, salt: number, words: number): string {
  let text = '';
  let state = (id ^ Math.imul(salt, 0x9e3779b9)) >>> 0;
  for (let word = 0; word < words; word += 1) {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    mixed ^= mixed >>> 16;
    text +=
      (HEX_BYTES[(mixed >>> 24) & 0xff] as string) +
      HEX_BYTES[(mixed >>> 16) & 0xff] +
      HEX_BYTES[(mixed >>> 8) & 0xff] +
      HEX_BYTES[mixed & 0xff];
  }
  return text;
}

/** 40 hex digits, like a SHA-1 thumbprint. */
export const thumbprintOf = (certificateId: number): string => hexOf(certificateId, 1, 5);

/** 32 hex digits, like a 16-byte serial number. */
export const serialNumberOf = (certificateId: number): string => hexOf(certificateId, 2, 4);

export const publicIdOf = (id: number): string => hexOf(id, 3, 3).slice(0, 20);
