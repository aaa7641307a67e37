/**
 * The frame type the kit's functions take and return.
 *
 * @module
 */

import type { DataFrame as PolarsDataFrame } from "nodejs-polars";

/**
 * A nodejs-polars `DataFrame`: the same type, named here so that the documentation of the
 * functions that take or return frames can refer to it.
 */
export type DataFrame = PolarsDataFrame;
