/**
 * The options of an Observable Plot figure, as the kit's figures take and give them.
 *
 * @module
 */

import type * as Plot from "@observablehq/plot";

/**
 * Observable Plot's `PlotOptions`: the same type, named here so that the documentation of the
 * figure functions can refer to it (see `Figure.spec` and every figure's `plot` option).
 */
export type PlotOptions = Plot.PlotOptions;
