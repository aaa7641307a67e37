/**
 * Telling generated data from real physician scores.
 *
 * @module
 */

import type { DataFrame } from "./data_frame.ts";

/**
 * Whether a frame holds generated entries: the sample generator marks every entry with
 * `synthetic: true`, which the loader keeps as a column, so the mark travels with the data
 * into every table, figure and caption.
 *
 * The mark counts as `true` or as the text `"true"` (any case), which is how it comes back from
 * a CSV file the frame was written to.
 *
 * @param frame A dataset, ratings or derived frame.
 * @returns `true` when any row is marked synthetic.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { isSynthetic } from "./is_synthetic.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isSynthetic(pl.DataFrame({ id: ["a"], synthetic: [true] })), true);
 * assert.equal(isSynthetic(pl.DataFrame({ id: ["a"], synthetic: ["true"] })), true);
 * assert.equal(isSynthetic(pl.DataFrame({ id: ["a"] })), false);
 * ```
 */
export function isSynthetic(frame: DataFrame): boolean {
  if (!frame.columns.includes("synthetic")) return false;
  return (frame.getColumn("synthetic").toArray() as unknown[]).some(_isSyntheticMark);
}

/**
 * Whether one value of the `synthetic` mark (a frame's cell, an entry's `extra.synthetic`) says
 * synthetic: `true`, or the text `"true"` in any case.
 */
export function _isSyntheticMark(mark: unknown): boolean {
  return mark === true || (typeof mark === "string" && mark.trim().toLowerCase() === "true");
}
