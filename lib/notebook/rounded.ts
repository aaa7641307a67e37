/**
 * `rounded()`: a frame with its floating-point columns rounded, for reading in a notebook.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";

/**
 * Rounds every Float32/Float64 column of a frame to `digits` decimals, for display: a table of
 * estimates reads better as `0.649` than `0.6485651735537545`. Integer and text columns, and
 * nulls and NaNs, are left as they are. Keep the unrounded frame for further computation.
 *
 * @param frame Any frame.
 * @param digits Decimals to keep (default 3; an integer from 0 to 15).
 * @returns A new frame; `frame` is unchanged.
 * @throws {RangeError} When `digits` is not an integer from 0 to 15.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { rounded } from "./rounded.ts";
 * import assert from "node:assert/strict";
 *
 * const frame = pl.DataFrame({ task: ["r_idea"], n: [12], r: [0.6485651735537545] });
 * assert.deepEqual(rounded(frame).toRecords(), [{ task: "r_idea", n: 12, r: 0.649 }]);
 * ```
 */
export function rounded(frame: DataFrame, digits = 3): DataFrame {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15) {
    throw new RangeError(`rounded(): digits must be an integer from 0 to 15, got ${digits}`);
  }
  const floats = frame.columns.filter((name) => {
    const type = frame.getColumn(name).dtype;
    return type.equals(pl.Float64) || type.equals(pl.Float32);
  });
  if (floats.length === 0) return frame.clone();
  return frame.withColumns(...floats.map((name) => pl.col(name).round(digits)));
}
