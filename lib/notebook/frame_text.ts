/**
 * `frameText()`: a Polars frame as a fixed-width text table, the `text/plain` of its display.
 *
 * @module
 */

import { _caption, type _Cell, _frameView, type FrameDisplayOptions } from "./_frame_view.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** One line of display text, clipped to `max` characters (code points) with `…`. */
function _clip(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, " ");
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

function _width(text: string): number {
  return [...text].length;
}

function _pad(text: string, width: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, width - _width(text)));
  return right ? fill + text : text + fill;
}

/**
 * Renders a frame as a fixed-width text table in Python polars' style: a caption with the
 * shape (and `showing k of n rows` when rows are left out), then a box with each column's
 * name, `---`, and dtype, and the rows, the head and tail separated by a `…` row. Text is
 * left-aligned and clipped to `maxChars` characters; numbers right-aligned and rounded for
 * display; nulls shown as `null`. This is the `text/plain` that front ends without HTML
 * (and VS Code's plain view) show.
 *
 * @param frame Any frame; it is not changed.
 * @param options Rows shown (default `POLARS_FMT_MAX_ROWS`, else 20), significant digits
 *   (default 4), characters per text cell (default 32).
 * @returns Lines joined by `\n`, without a trailing newline.
 * @throws {RangeError} When `options.digits` is not an integer from 1 to 17, or
 *   `options.maxChars` is below 2.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { frameText } from "./frame_text.ts";
 * import assert from "node:assert/strict";
 *
 * const frame = pl.DataFrame({ task: ["r_idea", null], r: [2.2083333333333335, NaN] });
 * assert.equal(frameText(frame), [
 *   "2 rows × 2 columns",
 *   "┌────────┬───────┐",
 *   "│ task   ┆     r │",
 *   "│ ---    ┆   --- │",
 *   "│ str    ┆   f64 │",
 *   "╞════════╪═══════╡",
 *   "│ r_idea ┆ 2.208 │",
 *   "│ null   ┆   NaN │",
 *   "└────────┴───────┘",
 * ].join("\n"));
 * ```
 */
export function frameText(frame: DataFrame, options: FrameDisplayOptions = {}): string {
  const maxChars = options.maxChars ?? 32;
  if (!Number.isInteger(maxChars) || maxChars < 2) {
    throw new RangeError(`maxChars must be an integer of at least 2, got ${maxChars}`);
  }
  const view = _frameView(frame, options);
  const caption = _caption(view);
  if (view.columns.length === 0) return caption;
  const clip = (cells: _Cell[]) => cells.map((cell) => _clip(cell.text, maxChars));
  const header = [
    view.columns.map((c) => _clip(c.name, maxChars)),
    view.columns.map(() => "---"),
    view.columns.map((c) => c.dtype),
  ];
  const rows = [
    ...view.head.map(clip),
    ...(view.truncated ? [view.columns.map(() => "…")] : []),
    ...view.tail.map(clip),
  ];
  const widths = view.columns.map((_, i) =>
    Math.max(...[...header, ...rows].map((line) => _width(line[i]!)))
  );
  const line = (cells: string[]) =>
    `│ ${cells.map((text, i) => _pad(text, widths[i]!, view.columns[i]!.numeric)).join(" ┆ ")} │`;
  const rule = (left: string, fill: string, join: string, right: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(join) + right;
  return [
    caption,
    rule("┌", "─", "┬", "┐"),
    ...header.map(line),
    rule("╞", "═", "╪", "╡"),
    ...rows.map(line),
    rule("└", "─", "┴", "┘"),
  ].join("\n");
}
