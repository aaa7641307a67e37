/**
 * `frameHtml()`: a Polars frame as an HTML table for Jupyter front ends.
 *
 * @module
 */

import { _caption, type _Cell, _frameView, type FrameDisplayOptions } from "./_frame_view.ts";
import { _escapeHtml } from "./_html.ts";
import type { DataFrame } from "../data/data_frame.ts";

/** Characters of a text cell written into the table body; CSS clips it further. */
const BODY_CHARS = 200;
/** Characters of a text cell in its `title`: the full text of all but the longest values. */
const TITLE_CHARS = 2000;

/** The first `max` characters (code points) of `text`, with `…` when cut. */
function _cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join("")}…`;
}

/** Inline styles: front ends strip `<style>` blocks or scope them differently; these survive. */
const STYLE = {
  wrapper: "overflow-x:auto;max-width:100%",
  table: "border-collapse:collapse;table-layout:auto;width:auto;margin:0;" +
    "font-variant-numeric:tabular-nums",
  caption: "caption-side:top;text-align:left;white-space:nowrap;padding:0 0 4px;opacity:0.8",
  dtype: "font-weight:normal;opacity:0.6;font-size:0.85em",
  clip: "max-width:24em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap",
  null: "opacity:0.5;font-style:italic",
} as const;

function _align(numeric: boolean): string {
  return `text-align:${numeric ? "right" : "left"};vertical-align:top`;
}

function _td(cell: _Cell, numeric: boolean): string {
  const align = _align(numeric);
  if (cell.kind === "null") return `<td style="${align};${STYLE.null}">null</td>`;
  if (cell.kind === "number") {
    return `<td style="${align};white-space:nowrap">${_escapeHtml(cell.text)}</td>`;
  }
  const title = _escapeHtml(_cut(cell.text, TITLE_CHARS));
  return `<td style="${align}"><div style="${STYLE.clip}" title="${title}">${
    _escapeHtml(_cut(cell.text, BODY_CHARS))
  }</div></td>`;
}

/**
 * Renders a frame as an HTML table: a caption with the shape (and, when rows are left out,
 * `showing k of n rows`), each column's dtype under its name, text left-aligned and clipped
 * to one line with the full text (up to 2,000 characters) in `title`, numbers right-aligned and rounded for display,
 * nulls as `null`. The table sits in a `<div style="overflow-x:auto">` so wide frames scroll
 * sideways. Every name and value is HTML-escaped.
 *
 * @param frame Any frame; it is not changed.
 * @param options Rows shown (default `POLARS_FMT_MAX_ROWS`, else 20: the first and last 10),
 *   significant digits (default 4).
 * @returns An HTML fragment.
 * @throws {RangeError} When `options.digits` is not an integer from 1 to 17.
 *
 * @example
 * ```ts
 * import pl from "nodejs-polars";
 * import { frameHtml } from "./frame_html.ts";
 * import assert from "node:assert/strict";
 *
 * const frame = pl.DataFrame({ task: ["<b>idea</b>"], r: [2.2083333333333335] });
 * const html = frameHtml(frame);
 * assert.match(html, /1 row × 2 columns/);
 * assert.match(html, /&lt;b&gt;idea&lt;\/b&gt;/);
 * assert.match(html, />2\.208</);
 * ```
 */
export function frameHtml(frame: DataFrame, options: FrameDisplayOptions = {}): string {
  const view = _frameView(frame, options);
  const header = view.columns.map((c) =>
    `<th style="${_align(c.numeric)};white-space:nowrap">${_escapeHtml(c.name)}<br>` +
    `<span style="${STYLE.dtype}">${_escapeHtml(c.dtype)}</span></th>`
  ).join("");
  const row = (cells: _Cell[]) =>
    `<tr>${cells.map((cell, i) => _td(cell, view.columns[i]!.numeric)).join("")}</tr>`;
  const ellipsis = `<tr>${
    view.columns.map((c) => `<td style="${_align(c.numeric)};opacity:0.6">…</td>`).join("")
  }</tr>`;
  const body = [
    ...view.head.map(row),
    ...(view.truncated ? [ellipsis] : []),
    ...view.tail.map(row),
  ].join("");
  return `<div style="${STYLE.wrapper}"><table style="${STYLE.table}">` +
    `<caption style="${STYLE.caption}">${_escapeHtml(_caption(view))}</caption>` +
    `<thead><tr>${header}</tr></thead><tbody>${body}</tbody></table></div>`;
}
