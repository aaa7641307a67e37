/**
 * The dots of the forest-style figures (`agreementForest()`, `biasAuditPlot()`): one per
 * estimate, filled when it has an interval and hollow when it has none, so that a missing
 * interval is seen rather than mistaken for a narrow one.
 *
 * @module
 */

import * as Plot from "@observablehq/plot";

/**
 * Two dot marks on x = `estimate`, facet `fy` = `task`: the estimates with an interval filled
 * with their colour, those without white inside their colour's outline.
 *
 * @param withInterval The estimates drawn filled.
 * @param without The estimates drawn hollow.
 * @param channels The y channel, the colour channel, and each estimate's symbol.
 * @returns The two marks.
 */
export function _estimateDots<T>(
  withInterval: readonly T[],
  without: readonly T[],
  channels: { y: string; color: string; symbol: (estimate: T) => string },
): Plot.Dot[] {
  const common = { x: "estimate", y: channels.y, fy: "task", symbol: channels.symbol, r: 4 };
  return [
    Plot.dot(withInterval, { ...common, fill: channels.color }),
    Plot.dot(without, { ...common, fill: "white", stroke: channels.color, strokeWidth: 1.5 }),
  ];
}
