/**
 * Input checks, small readers and the typed output frame shared by the reports (`agreement()`,
 * `ceiling()` and the others).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { DataFrame } from "../data/data_frame.ts";
import { METRIC_NAMES, type MetricName } from "./_metric_registry.ts";

/**
 * Checks that `frame` is a non-empty Polars frame with every needed column.
 *
 * @param fn The public function, for messages.
 * @param name The argument's name.
 * @param frame The frame.
 * @param columns The needed columns.
 * @throws {TypeError} When `frame` is not a DataFrame.
 * @throws {RangeError} When it is empty or lacks a column (all missing ones are named).
 */
export function _checkFrame(
  fn: string,
  name: string,
  frame: DataFrame,
  columns: readonly string[],
): void {
  if (typeof frame !== "object" || frame === null || !Array.isArray(frame.columns)) {
    throw new TypeError(`${fn}(): ${name} must be a Polars DataFrame`);
  }
  const missing = columns.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    throw new RangeError(
      `${fn}(): ${name} lacks the column${missing.length === 1 ? "" : "s"} ${
        missing.map((c) => JSON.stringify(c)).join(", ")
      } (load it with loadTrials(dir, { dataset }) so the physician grades are joined)`,
    );
  }
  if (frame.height === 0) throw new RangeError(`${fn}(): ${name} is empty (no rows)`);
}

/**
 * Checks that a frame passed to a summary or a figure has the columns it reads (a plain
 * `Error`, where `_checkFrame()` throws the statistics' `RangeError`).
 *
 * @param frame The frame.
 * @param columns The needed columns.
 * @param what The start of the message: the caller and the frame, e.g. `"f(): the audit frame"`.
 * @param hint What to pass instead, added after the missing columns.
 * @throws {Error} Naming every missing column.
 */
export function _requireColumns(
  frame: DataFrame,
  columns: readonly string[],
  what: string,
  hint?: string,
): void {
  const missing = columns.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    const list = missing.map((c) => `"${c}"`).join(", ");
    throw new Error(`${what} lacks ${list}${hint === undefined ? "" : `; ${hint}`}`);
  }
}

/**
 * Checks the `metrics` option.
 *
 * @param fn The public function, for messages.
 * @param metrics The option as given; default every metric.
 * @returns The metric names, in the order given.
 * @throws {RangeError} When it is not a non-empty array, names an unknown metric (all unknown
 *   ones are named), or repeats one.
 */
export function _metricList(fn: string, metrics: readonly string[] | undefined): MetricName[] {
  if (metrics === undefined) return [...METRIC_NAMES];
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new RangeError(`${fn}(): options.metrics must be a non-empty array of metric names`);
  }
  const unknown = metrics.filter((m) => !(METRIC_NAMES as readonly string[]).includes(m));
  if (unknown.length > 0) {
    throw new RangeError(
      `${fn}(): unknown metric${unknown.length === 1 ? "" : "s"} ${
        unknown.map((m) => JSON.stringify(m)).join(", ")
      }; known: ${METRIC_NAMES.join(", ")}`,
    );
  }
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m)) throw new RangeError(`${fn}(): options.metrics lists ${m} twice`);
    seen.add(m);
  }
  return metrics as MetricName[];
}

/**
 * Checks the `repeats` option.
 *
 * @param fn The public function, for messages.
 * @param repeats The option as given.
 * @returns `"mean"` (the default) or `"first"`.
 * @throws {RangeError} On another value.
 */
export function _repeatsOption(fn: string, repeats: unknown): "mean" | "first" {
  const r = repeats ?? "mean";
  if (r !== "mean" && r !== "first") {
    throw new RangeError(
      `${fn}(): options.repeats must be "mean" or "first", got ${JSON.stringify(r)}`,
    );
  }
  return r;
}

/**
 * A column's values as a plain array.
 *
 * @param frame The frame.
 * @param name The column.
 * @returns Its values.
 */
export function _values(frame: DataFrame, name: string): unknown[] {
  return frame.getColumn(name).toArray() as unknown[];
}

/**
 * A report's output frame: `columns` in order, the `text` ones Utf8, the `integers` Int64 and
 * every other one Float64 (so that an all-null column still has its type).
 *
 * @param columns The columns, in order.
 * @param values Each column's values.
 * @param types The text and integer columns.
 * @returns The frame.
 */
export function _typedFrame<C extends string>(
  columns: readonly C[],
  values: (column: C) => unknown[],
  types: { text: readonly string[]; integers: readonly string[] },
): DataFrame {
  return pl.DataFrame(columns.map((name) => {
    const dtype = types.text.includes(name)
      ? pl.Utf8
      : types.integers.includes(name)
      ? pl.Int64
      : pl.Float64;
    return pl.Series(name, values(name), dtype);
  }));
}

/** A judge's scored judgements of one entry, and how to make them one score. */
export class _RepeatScores {
  #sum = 0;
  #count = 0;
  #firstRepeat = Infinity;
  #first = NaN;

  /**
   * Adds a scored judgement.
   *
   * @param score The score.
   * @param repeat Its repeat number (`0` when the frame has none).
   */
  add(score: number, repeat: number): void {
    this.#sum += score;
    this.#count++;
    if (this.#count === 1 || repeat < this.#firstRepeat) {
      this.#firstRepeat = repeat;
      this.#first = score;
    }
  }

  /**
   * The entry's score: the mean of its scored repeats, or the scored one with the lowest repeat.
   *
   * @param how `"mean"` or `"first"`.
   * @returns The score, or `NaN` without any scored judgement.
   */
  score(how: "mean" | "first"): number {
    if (this.#count === 0) return NaN;
    return how === "mean" ? this.#sum / this.#count : this.#first;
  }
}

/**
 * Whether a judgement failed: status `"failed"`, or `"scored"` with a score that is not a
 * finite number (`NaN`, ±`Infinity`, null). Such a score is a failure to score, never a score.
 *
 * @param status The judgement's status.
 * @param score Its score cell.
 * @returns True when it counts as failed.
 */
export function _judgementFailed(status: unknown, score: unknown): boolean {
  return status === "failed" || (status === "scored" && !Number.isFinite(_num(score)));
}

/**
 * The note on a judge's failures, when there are any.
 *
 * @param failed Judgements that failed (`_judgementFailed`).
 * @param judgements All judgements.
 * @returns `"the judge failed 3 of 40 judgements"`, or `null` when none failed.
 */
export function _failureNote(failed: number, judgements: number): string | null {
  if (failed === 0) return null;
  return `the judge failed ${failed} of ${judgements} judgement${judgements === 1 ? "" : "s"}`;
}

/**
 * A finite number from a frame cell, or `NaN` (null, missing, not a number).
 *
 * @param v The cell.
 * @returns The number or `NaN`.
 */
export function _num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : NaN;
}

/**
 * Numbers clusters by first appearance.
 *
 * @param ids Each item's cluster id.
 * @returns Each item's cluster index, and the count.
 */
export function _clusterIndex(ids: readonly string[]): { cluster: Int32Array; count: number } {
  const index = new Map<string, number>();
  const cluster = Int32Array.from(ids, (id) => {
    let c = index.get(id);
    if (c === undefined) index.set(id, c = index.size);
    return c;
  });
  return { cluster, count: index.size };
}

/**
 * A list cell as an array (a Polars list may come back as an array or a Series).
 *
 * @param v The cell.
 * @returns Its items (none for a null or non-list cell).
 */
export function _list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === "object" && "toArray" in v) {
    return (v as { toArray(): unknown[] }).toArray();
  }
  return [];
}

/** Orders strings by code unit, as `sort()` does. */
export function _compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
