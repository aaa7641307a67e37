/**
 * Attack texts shared by the kit's tests: field texts that try to close or imitate the prompt's
 * fences, and a lenient reader that finds anything a model could take for a tag.
 *
 * @module
 */

/** Brackets a model may read as `<`: ASCII, fullwidth, small, angle quotes, math angles. */
export const OPENING_LOOKALIKES = "<＜﹤‹〈〈⟨«ᐸ˂❮❬⧼❰";

/**
 * Texts that try to open or close the fence `name`: spacing, attributes, case, a line break
 * inside, zero-width characters, and look-alike brackets, slashes and letters.
 *
 * @param name A tag the prompt uses.
 * @returns The attack texts.
 */
export function tagAttacks(name: string): string[] {
  const upper = name.toUpperCase();
  const mixed = name.replace(/^./, (c) => c.toUpperCase());
  const cyrillic = name.replace(/e/, "\u0435").replace(/a/, "\u0430").replace(/o/, "\u043e");
  return [
    `</${name}>`,
    `<${name}>`,
    `</${name} >`,
    `</ ${name}>`,
    `</${name} x="1">`,
    `</${name}\n>`,
    `<\n/${name}>`,
    `</${upper}>`,
    `<${mixed} >`,
    `＜/${name}＞`,
    `﹤/${name}﹥`,
    `‹/${name}›`,
    `〈/${name}〉`,
    `⟨/${name}⟩`,
    `«/${name}»`,
    `<\u200b/${name}>`,
    `<／${name}>`,
    `<\\/${name}>`,
    `</${cyrillic}>`,
    `\t<\t/\t${name}\t>`,
  ];
}

const LENIENT_TAG = new RegExp(
  `[${OPENING_LOOKALIKES}][\\s\\p{Cf}/／∕⁄⧸\\\\]*[\\p{L}_]`,
  "gu",
);

/**
 * Every place in a text a model could read as the start of a tag, however spaced, cased or
 * disguised.
 *
 * @param text A prompt.
 * @returns The matches.
 */
export function tagLikeSequences(text: string): string[] {
  return [...text.matchAll(LENIENT_TAG)].map((m) => m[0]);
}
