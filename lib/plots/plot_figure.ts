/**
 * `plotFigure()`: a Plot spec rendered server-side into a `Figure`, with a researcher's own Plot
 * options merged in — the way every kit figure is drawn, so that every kit figure can be
 * extended the Observable Plot way.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";
import { type Figure, figure } from "./figure.ts";
import { plotDocument } from "./plot_document.ts";
import type { PlotOptions } from "./plot_options.ts";

/** Plot options a researcher adds to a kit figure: marks to add, scales to override. */
export interface PlotOverrides {
  /**
   * Observable Plot options merged into the figure's own: `marks` are drawn after the
   * figure's; a scale (`x`, `y`, `fx`, `fy`, `color`, `r`, `symbol`, `opacity`, `length`) is
   * merged key by key (`{ x: { domain: [0, 1] } }` keeps the figure's label); any other option
   * (`width`, `height`, `margin…`, `style`) replaces the figure's.
   */
  plot?: PlotOptions;
}

const SCALES = ["x", "y", "fx", "fy", "color", "r", "symbol", "opacity", "length"] as const;

/**
 * Merges a researcher's Plot options into a figure's spec (see {@linkcode PlotOverrides}).
 *
 * @param spec The figure's own options.
 * @param overrides The options to merge in.
 * @returns The merged options (neither input is changed).
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { mergePlotOptions } from "./plot_figure.ts";
 * import assert from "node:assert/strict";
 *
 * const rule = Plot.ruleY([0]);
 * const merged = mergePlotOptions(
 *   { x: { label: "score", grid: true }, marks: [Plot.dot([[1, 2]])] },
 *   { x: { domain: [0, 5] }, marks: [rule] },
 * );
 * assert.deepEqual(merged.x, { label: "score", grid: true, domain: [0, 5] });
 * assert.equal(merged.marks?.at(-1), rule);
 * ```
 */
export function mergePlotOptions(
  spec: PlotOptions,
  overrides: PlotOptions = {},
): PlotOptions {
  const merged: Record<string, unknown> = { ...spec, ...overrides };
  for (const scale of SCALES) {
    const own = spec[scale], added = overrides[scale];
    if (_isObject(own) && _isObject(added)) merged[scale] = { ...own, ...added };
  }
  merged.marks = [...(spec.marks ?? []), ...(overrides.marks ?? [])];
  return merged as PlotOptions;
}

/**
 * Renders a Plot spec (with `overrides` merged in) into a standalone `Figure` with its caption
 * drawn in, keeping the merged spec as `figure.spec`: pass it to `Plot.plot()` yourself, or
 * extend a kit figure with `{ plot: { marks: [...] } }`.
 *
 * @param spec The figure's Plot options (no `document` needed: the server-side one is used).
 * @param options The caption, and the Plot options to merge in.
 * @returns The figure.
 *
 * @example
 * ```ts
 * import * as Plot from "@observablehq/plot";
 * import { plotFigure } from "./plot_figure.ts";
 * import assert from "node:assert/strict";
 *
 * const fig = plotFigure(
 *   { marks: [Plot.dot([[1, 2], [2, 3]])] },
 *   { caption: "Two dots.", plot: { marks: [Plot.ruleY([0])] } },
 * );
 * assert.equal(fig.spec?.marks?.length, 2);
 * assert.match(fig.svg, /aria-label="rule"/);
 * ```
 */
export function plotFigure(
  spec: PlotOptions,
  options: { caption?: string } & PlotOverrides = {},
): Figure {
  const merged = mergePlotOptions(spec, options.plot);
  const element = Plot.plot({ ...merged, document: plotDocument() });
  return figure(element, { caption: options.caption ?? "", spec: merged });
}

function _isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
