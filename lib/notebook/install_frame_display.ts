/**
 * `installFrameDisplay()`: every Polars frame displays as the kit's table in the Deno kernel.
 *
 * @module
 */

// The CommonJS module that builds every frame; see installFrameDisplay() for why.
import * as dataframeModule from "nodejs-polars/bin/dataframe.js";
import { _frameBundle } from "./show_frame.ts";
import type { DataFrame } from "../data/data_frame.ts";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");
/** Marks the kit's factory, keeping the one it wraps; `Symbol.for` so copies of the kit agree. */
const ORIGINAL = Symbol.for("preceptron.frameDisplay.original");

type Factory = ((inner: unknown) => DataFrame) & { [ORIGINAL]?: Factory };

/** The live `exports` object of nodejs-polars' `bin/dataframe.js`. */
function _polarsExports(): { _DataFrame: Factory } {
  const exports = (dataframeModule as unknown as { default?: { _DataFrame?: unknown } }).default;
  if (typeof exports?._DataFrame !== "function") {
    throw new Error("installFrameDisplay(): nodejs-polars has no bin/dataframe.js _DataFrame");
  }
  return exports as { _DataFrame: Factory };
}

/** The kernel calls this with the frame as `this`; a failure falls back to Polars' own view. */
function _display(this: DataFrame): Record<string, string> {
  try {
    return { ..._frameBundle(this) };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { "text/plain": `${this.toString()}\n(kit display failed: ${why})` };
  }
}

/**
 * Makes every Polars frame display as the kit's table ({@linkcode frameText} as `text/plain`,
 * {@linkcode frameHtml} as `text/html`) when it is a cell's result or passed to
 * `Deno.jupyter.display`. The kit calls it once when imported; calling it again does nothing.
 *
 * Why this way: the Deno kernel displays a result through its `Symbol.for("Jupyter.display")`
 * method, and offers no hook to format results otherwise. nodejs-polars 0.25.2 gives each
 * frame its own such method (an object literal in a Proxy, no shared prototype), made by the
 * `_DataFrame` factory of `bin/dataframe.js`. Every frame — from `DataFrame`, `readCSV`,
 * `filter`, `select`, `head`, `groupBy().agg`, `lazy().collect()` — is made by calling
 * `_DataFrame` through that module's `exports` object, so replacing it there reaches them
 * all. The kit's factory calls Polars' own and then sets the display method on the frame
 * (the Proxy passes the assignment to the frame). Frames made before the kit was imported
 * keep Polars' display.
 *
 * @returns A function that restores Polars' own factory (for tests); a no-op when the kit's
 *   display was already installed.
 * @throws {Error} When nodejs-polars is not laid out as 0.25.2 is.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { installFrameDisplay } from "./install_frame_display.ts";
 * import assert from "node:assert/strict";
 *
 * installFrameDisplay();
 * const frame = pl.DataFrame({ x: [1.23456, 2] }).filter(pl.col("x").gt(1));
 * // deno-lint-ignore no-explicit-any
 * const bundle = (frame as any)[Symbol.for("Jupyter.display")]();
 * assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
 * assert.match(bundle["text/plain"], /^2 rows × 1 column\n/);
 * ```
 */
export function installFrameDisplay(): () => void {
  const exports = _polarsExports();
  const current = exports._DataFrame;
  if (current[ORIGINAL] !== undefined) return () => {};
  const factory: Factory = (inner: unknown) => {
    const frame = current(inner);
    (frame as unknown as Record<symbol, unknown>)[JUPYTER_DISPLAY] = _display;
    return frame;
  };
  factory[ORIGINAL] = current;
  exports._DataFrame = factory;
  return () => {
    if (exports._DataFrame === factory) exports._DataFrame = current;
  };
}
