/**
 * What a frame display shows, computed once for both the HTML and the text rendering: the
 * shape, each column's name and short dtype, and the shown rows as display strings.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";

/** Options for {@linkcode frameHtml}, {@linkcode frameText} and {@linkcode showFrame}. */
export interface FrameDisplayOptions {
  /**
   * Rows shown at most; a longer frame shows its first `ceil(maxRows / 2)` and last
   * `floor(maxRows / 2)` rows, as Python polars does. A negative number shows every row.
   * Default: the `POLARS_FMT_MAX_ROWS` environment variable when set (as
   * `pl.Config.setTblRows` sets it), else 20.
   */
  maxRows?: number;
  /** Significant digits of floating-point numbers (display only). Default 4. */
  digits?: number;
  /** Characters of text kept in a `text/plain` cell before `…`. Default 32. */
  maxChars?: number;
}

/** Rows shown when neither the options nor `POLARS_FMT_MAX_ROWS` say. */
export const DEFAULT_MAX_ROWS = 20;

/** One cell as display text (unclipped); `kind` decides alignment and style. */
export interface _Cell {
  text: string;
  kind: "null" | "number" | "text";
}

/** One column: its name, short dtype (`f64`, `str`, `list[str]`), and whether it is numeric. */
export interface _Column {
  name: string;
  dtype: string;
  numeric: boolean;
}

/** Everything a rendering needs. */
export interface _FrameView {
  height: number;
  columns: _Column[];
  /** The first rows shown, each a cell per column. */
  head: _Cell[][];
  /** The last rows shown, after an ellipsis row; empty when nothing was left out. */
  tail: _Cell[][];
  /** Whether rows were left out. */
  truncated: boolean;
}

const SHORT_TYPES: Record<string, string> = {
  Float64: "f64",
  Float32: "f32",
  Int8: "i8",
  Int16: "i16",
  Int32: "i32",
  Int64: "i64",
  UInt8: "u8",
  UInt16: "u16",
  UInt32: "u32",
  UInt64: "u64",
  String: "str",
  Utf8: "str",
  Bool: "bool",
  Date: "date",
  Time: "time",
  Categorical: "cat",
  Null: "null",
  Object: "object",
};

const NUMERIC = /^(Float|Int|UInt|Decimal)/;

/** A dtype as Python polars prints it under a header: `f64`, `str`, `list[f64]`, `datetime[ms]`. */
export function _dtypeLabel(dtype: pl.DataType): string {
  const type = dtype as pl.DataType & {
    variant: string;
    inner?: unknown[] | null;
    fields?: unknown[];
    timeUnit?: string;
    timeZone?: string;
  };
  const variant = type.variant;
  if (variant in SHORT_TYPES) return SHORT_TYPES[variant]!;
  const inner = type.inner?.[0];
  if ((variant === "List" || variant === "FixedSizeList") && inner instanceof Object) {
    return `list[${_dtypeLabel(inner as pl.DataType)}]`;
  }
  if (variant === "Datetime") {
    const zone = type.timeZone ? `, ${type.timeZone}` : "";
    return `datetime[${type.timeUnit ?? "?"}${zone}]`;
  }
  if (variant === "Duration") return `duration[${type.timeUnit ?? "?"}]`;
  if (variant === "Struct") return `struct[${type.fields?.length ?? "?"}]`;
  return variant.toLowerCase();
}

/**
 * A float rounded for reading: `digits` significant digits, the integer part always in full,
 * exponent notation below 1e-4 and from 1e15; `NaN`, `inf`, `-inf` spelled out.
 */
export function _formatFloat(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  if (abs >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}

function _formatValue(value: unknown, variant: string, digits: number): _Cell {
  if (value === null || value === undefined) return { text: "null", kind: "null" };
  if (typeof value === "number") {
    const float = variant.startsWith("Float") || !Number.isInteger(value);
    return { text: float ? _formatFloat(value, digits) : String(value), kind: "number" };
  }
  if (typeof value === "bigint") return { text: String(value), kind: "number" };
  if (typeof value === "string") return { text: value, kind: "text" };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { text: String(value), kind: "text" };
    const iso = value.toISOString();
    const text = variant === "Date"
      ? iso.slice(0, 10)
      : iso.replace("T", " ").replace(/(\.000)?Z$/, "");
    return { text, kind: "text" };
  }
  try {
    const json = JSON.stringify(value, (_, v) => typeof v === "bigint" ? String(v) : v);
    return { text: json ?? String(value), kind: "text" };
  } catch {
    return { text: String(value), kind: "text" };
  }
}

/** The rows to show from an environment variable's text; undefined when absent or not a number. */
export function _maxRowsFromEnv(): number | undefined {
  let raw: string | undefined;
  try {
    raw = Deno.env.get("POLARS_FMT_MAX_ROWS");
  } catch {
    return undefined; // no --allow-env: the default applies
  }
  if (raw === undefined || raw.trim() === "") return undefined;
  const rows = Number.parseInt(raw, 10);
  return Number.isNaN(rows) ? undefined : rows;
}

function _columnValues(frame: DataFrame, name: string): unknown[] {
  const series = frame.getColumn(name);
  try {
    return series.toArray() as unknown[];
  } catch {
    // Some nested types cannot cross into JS; their text form still can.
    return series.cast(pl.String).toArray() as unknown[];
  }
}

function _cells(frame: DataFrame, digits: number): _Cell[][] {
  const columns = frame.columns.map((name) => ({
    values: _columnValues(frame, name),
    variant: (frame.getColumn(name).dtype as pl.DataType & { variant: string }).variant,
  }));
  return Array.from(
    { length: frame.height },
    (_, row) => columns.map((c) => _formatValue(c.values[row], c.variant, digits)),
  );
}

/**
 * The view of a frame: shape, columns, and the head and tail rows as display strings.
 *
 * @throws {RangeError} When `digits` is not an integer from 1 to 17, or `maxChars` below 1.
 */
export function _frameView(frame: DataFrame, options: FrameDisplayOptions = {}): _FrameView {
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 1 || digits > 17) {
    throw new RangeError(`digits must be an integer from 1 to 17, got ${digits}`);
  }
  const maxRows = options.maxRows ?? _maxRowsFromEnv() ?? DEFAULT_MAX_ROWS;
  const height = frame.height;
  const columns = frame.columns.map((name) => {
    const dtype = frame.getColumn(name).dtype;
    const variant = (dtype as pl.DataType & { variant: string }).variant;
    return { name, dtype: _dtypeLabel(dtype), numeric: NUMERIC.test(variant) };
  });
  if (maxRows < 0 || height <= maxRows) {
    return { height, columns, head: _cells(frame, digits), tail: [], truncated: false };
  }
  const first = Math.ceil(maxRows / 2);
  const last = Math.floor(maxRows / 2);
  return {
    height,
    columns,
    head: _cells(frame.head(first), digits),
    tail: last > 0 ? _cells(frame.tail(last), digits) : [],
    truncated: true,
  };
}

/** `360 rows × 12 columns · showing 20 of 360 rows (first 10, last 10)`. */
export function _caption(view: _FrameView): string {
  const plural = (n: number, word: string) =>
    `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  const shape = `${plural(view.height, "row")} × ${plural(view.columns.length, "column")}`;
  if (!view.truncated) return shape;
  const shown = view.head.length + view.tail.length;
  const showing = `${shape} · showing ${shown} of ${plural(view.height, "row")}`;
  if (shown === 0) return showing;
  const last = view.tail.length > 0 ? `, last ${view.tail.length}` : "";
  return `${showing} (first ${view.head.length}${last})`;
}
