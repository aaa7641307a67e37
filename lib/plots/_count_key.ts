/**
 * A key for dots sized by a count: the count written on the larger dots, so a reader can read
 * sizes without a legend (Observable Plot draws none for `r`).
 *
 * @module
 */

import * as Plot from "@observablehq/plot";

/** The smallest count written on a dot (larger counts only, when the largest is big). */
const LABEL_COUNT = 5;

/** The dot radius range, in pixels, for counts from 0 to the largest. */
export const _COUNT_RADIUS: [number, number] = [2, 14];

/**
 * The text mark writing each count from a threshold up on its dot, and the words that say so.
 *
 * @param data The dots, each with its count `n`.
 * @param channels The dots' position channels.
 */
export function _countKey<T extends { n: number }>(
  data: readonly T[],
  channels: { x: string; y: string; fx?: string; fy?: string },
): { mark: Plot.Markish; largest: number; from: number; words: string } {
  const largest = Math.max(0, ...data.map((d) => d.n));
  const from = Math.max(LABEL_COUNT, Math.ceil(largest / 4));
  const mark = Plot.text(data.filter((d) => d.n >= from), {
    ...channels,
    text: "n",
    fontSize: 9,
    fill: "black",
  });
  return {
    mark,
    largest,
    from,
    words: `largest ${largest}` + (largest >= from ? `; counts written from ${from}` : ""),
  };
}
