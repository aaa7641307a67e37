/**
 * Paired scores under weights: what every paired agreement metric is computed from.
 *
 * A metric of pairs under integer weights equals the metric of the pairs repeated that many
 * times. The public functions weigh each pair 1 (or by their `sampleWeights`); `agreement()`
 * and `ceiling()` build one `_WeightedPairs` per group and change only its weights — a
 * cluster-bootstrap resample counts each item as often as its case was drawn, a
 * leave-one-case-out sample zeroes one case's items. Equal items are merged first into distinct
 * (x, y, scale) pairs (tens to hundreds, not thousands), and a metric's kernel runs over those.
 *
 * @module
 */

import type { _ColumnMoments } from "./_sums_of_squares.ts";
import { _checkPaired, _checkWeights } from "./_validate.ts";

/** Means and co-moments (sums of weighted products of deviations) of both sides. */
export interface _Moments {
  meanX: number;
  meanY: number;
  cxx: number;
  cyy: number;
  cxy: number;
  /** Σ w ((x − x̄) − (y − ȳ))², exactly 0 when x = y everywhere. */
  cdd: number;
}

/** Weighted sums of the differences d = x − y. */
export interface _Differences {
  /** Σ w d. */
  signed: number;
  /** Σ w |d|. */
  absolute: number;
  /** Σ w d². */
  squared: number;
  /** The weight of the pairs with d = 0. */
  zero: number;
}

/** Weight per distinct value of each side, and what it says about constant sides. */
export interface _ValueWeights {
  /** Weight of each of `xValues`. */
  x: Float64Array;
  /** Weight of each of `yValues`. */
  y: Float64Array;
  /** One side has a single value (correlations are undefined). */
  constant: boolean;
  /** Both sides have the same single value. */
  allEqual: boolean;
}

/**
 * Items merged into distinct (x, y, scale) pairs, each with a weight. The sums several kernels
 * read (`moments()`, `differences()`, `valueWeights()`, `categoryWeights()`) are computed once
 * per weighting, into memory that is reused from one weighting to the next.
 */
export class _WeightedPairs {
  /** Number of items, and of distinct pairs. */
  readonly items: number;
  readonly size: number;
  /** The distinct pair of each item. */
  readonly pairOf: Int32Array;
  /** Each distinct pair's first score (e.g. the judge's), second score, and scale maximum. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly scale: Float64Array;
  /** Each side's distinct values, increasing, and each pair's position among them. */
  readonly xValues: Float64Array;
  readonly xIndex: Int32Array;
  readonly yValues: Float64Array;
  readonly yIndex: Int32Array;
  /** The pairs ordered by (x value, y value). */
  readonly byXThenY: Int32Array;
  /** κ's categories, increasing (declared, or every value seen), and each pair's on each side. */
  readonly categories: Float64Array;
  readonly xCategory: Int32Array;
  readonly yCategory: Int32Array;
  /** Each distinct pair's weight. */
  readonly weights: Float64Array;
  /** The sum of the weights. */
  total = 0;
  readonly #moments: _Moments = { meanX: NaN, meanY: NaN, cxx: NaN, cyy: NaN, cxy: NaN, cdd: NaN };
  readonly #values: _ValueWeights;
  readonly #differences: _Differences = { signed: NaN, absolute: NaN, squared: NaN, zero: NaN };
  readonly #categoryWeights: { x: Float64Array; y: Float64Array };
  #columnMoments: _ColumnMoments | undefined;
  // Which shared sums are up to date with the weights.
  #freshMoments = false;
  #freshValues = false;
  #freshCategories = false;
  #freshDifferences = false;

  /**
   * Merges the items and weighs each 1.
   *
   * @param x The first scores, one per item (finite).
   * @param y The second scores, paired with `x`.
   * @param scale Each item's scale maximum; 1 each by default.
   * @param categories κ's category values; default: every value of either side.
   * @throws {RangeError} When a score is not one of `categories`.
   */
  constructor(
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    scale?: ArrayLike<number>,
    categories?: readonly number[],
  ) {
    const n = this.items = x.length;
    const key = new Map<string, number>(), pairOf = new Int32Array(n);
    const xs: number[] = [], ys: number[] = [], scales: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = scale?.[i] ?? 1, k = `${x[i]}|${y[i]}|${s}`;
      let t = key.get(k);
      if (t === undefined) {
        key.set(k, t = xs.length);
        xs.push(x[i]!);
        ys.push(y[i]!);
        scales.push(s);
      }
      pairOf[i] = t;
    }
    this.pairOf = pairOf;
    this.size = xs.length;
    this.x = Float64Array.from(xs);
    this.y = Float64Array.from(ys);
    this.scale = Float64Array.from(scales);
    [this.xValues, this.xIndex] = _positions(this.x, Float64Array.from(new Set(xs)).sort());
    [this.yValues, this.yIndex] = _positions(this.y, Float64Array.from(new Set(ys)).sort());
    const xi = this.xIndex, yi = this.yIndex;
    this.byXThenY = Int32Array.from({ length: this.size }, (_, t) => t)
      .sort((a, b) => xi[a]! - xi[b]! || yi[a]! - yi[b]!);
    this.categories = Float64Array.from(categories ?? new Set([...xs, ...ys])).sort();
    this.xCategory = _positions(this.x, this.categories)[1];
    this.yCategory = _positions(this.y, this.categories)[1];
    this.#values = {
      x: new Float64Array(this.xValues.length),
      y: new Float64Array(this.yValues.length),
      constant: false,
      allEqual: false,
    };
    const k = this.categories.length;
    this.#categoryWeights = { x: new Float64Array(k), y: new Float64Array(k) };
    this.weights = new Float64Array(this.size);
    this.setItemWeights();
  }

  /**
   * Weighs the items.
   *
   * @param itemWeights One non-negative weight per item; 1 each by default.
   */
  setItemWeights(itemWeights?: ArrayLike<number>): void {
    const w = this.weights;
    w.fill(0);
    for (let i = 0; i < this.items; i++) w[this.pairOf[i]!]! += itemWeights ? itemWeights[i]! : 1;
    this.#reweighed();
  }

  /**
   * Weighs the distinct pairs.
   *
   * @param pairWeights One non-negative weight per distinct pair.
   */
  setWeights(pairWeights: ArrayLike<number>): void {
    this.weights.set(pairWeights);
    this.#reweighed();
  }

  /**
   * The means and co-moments under the current weights. (A pair of weight 0 adds ±0 to each
   * sum, which leaves it unchanged: no pair needs skipping.)
   */
  moments(): _Moments {
    const m = this.#moments;
    if (this.#freshMoments) return m;
    const { x, y, weights: w, total: N, size } = this;
    let sx = 0, sy = 0;
    for (let t = 0; t < size; t++) {
      sx += w[t]! * x[t]!;
      sy += w[t]! * y[t]!;
    }
    const meanX = sx / N, meanY = sy / N;
    let cxx = 0, cyy = 0, cxy = 0, cdd = 0;
    for (let t = 0; t < size; t++) {
      const wt = w[t]!, a = x[t]! - meanX, b = y[t]! - meanY;
      cxx += wt * a * a;
      cyy += wt * b * b;
      cxy += wt * a * b;
      cdd += wt * (a - b) * (a - b);
    }
    Object.assign(m, { meanX, meanY, cxx, cyy, cxy, cdd });
    this.#freshMoments = true;
    return m;
  }

  /** The weighted sums of the differences x − y under the current weights. */
  differences(): _Differences {
    const s = this.#differences;
    if (this.#freshDifferences) return s;
    const { x, y, weights: w, size } = this;
    let signed = 0, absolute = 0, squared = 0, zero = 0;
    for (let t = 0; t < size; t++) {
      const wt = w[t]!, d = x[t]! - y[t]!;
      signed += wt * d;
      absolute += wt * Math.abs(d);
      squared += wt * d * d;
      zero += d === 0 ? wt : 0;
    }
    Object.assign(s, { signed, absolute, squared, zero });
    this.#freshDifferences = true;
    return s;
  }

  /** The moments as those of a two-column items × raters matrix (for ICC and α). */
  columnMoments(): _ColumnMoments {
    if (this.#columnMoments) return this.#columnMoments;
    const m = this.moments();
    return this.#columnMoments = {
      n: this.total,
      means: [m.meanX, m.meanY],
      comoments: [[m.cxx, m.cxy], [m.cxy, m.cyy]],
      differences: [[0, m.cdd], [m.cdd, 0]],
      constant: this.valueWeights().allEqual,
    };
  }

  /**
   * The weight of each distinct value under the current weights. A side is constant when one
   * value carries all its weight: decided from the values, not from a variance that rounding
   * can leave a hair above 0.
   */
  valueWeights(): _ValueWeights {
    const v = this.#values;
    if (this.#freshValues) return v;
    this.#sumWeights(v, this.xIndex, this.yIndex);
    const [usedX, onlyX] = _used(v.x, this.xValues), [usedY, onlyY] = _used(v.y, this.yValues);
    v.constant = usedX === 1 || usedY === 1;
    v.allEqual = usedX === 1 && usedY === 1 && onlyX === onlyY;
    this.#freshValues = true;
    return v;
  }

  /** The weight of each of `categories` on each side (κ's marginals). */
  categoryWeights(): { x: Float64Array; y: Float64Array } {
    const c = this.#categoryWeights;
    if (this.#freshCategories) return c;
    this.#sumWeights(c, this.xCategory, this.yCategory);
    this.#freshCategories = true;
    return c;
  }

  /** Sums the pairs' weights into `into.x` and `into.y` by each pair's slot on each side. */
  #sumWeights(
    into: { x: Float64Array; y: Float64Array },
    xSlot: Int32Array,
    ySlot: Int32Array,
  ): void {
    into.x.fill(0);
    into.y.fill(0);
    for (let t = 0; t < this.size; t++) {
      into.x[xSlot[t]!]! += this.weights[t]!;
      into.y[ySlot[t]!]! += this.weights[t]!;
    }
  }

  #reweighed(): void {
    let total = 0;
    for (let t = 0; t < this.size; t++) total += this.weights[t]!;
    this.total = total;
    this.#freshMoments = this.#freshValues = this.#freshCategories = false;
    this.#freshDifferences = false;
    this.#columnMoments = undefined;
  }
}

/**
 * The checked pairs of a public metric function, weighed by `sampleWeights` (1 each by default).
 *
 * @param fn The public function, for messages.
 * @param x The first scores.
 * @param y The second scores.
 * @param sampleWeights One non-negative weight per pair, or undefined.
 * @param names The two arguments' names.
 * @param categories κ's declared categories (already checked).
 * @returns The pairs.
 * @throws {RangeError} On empty, unequal or non-finite input, or bad weights.
 */
export function _checkedPairs(
  fn: string,
  x: readonly number[],
  y: readonly number[],
  sampleWeights: readonly number[] | undefined,
  names: readonly [string, string] = ["x", "y"],
  categories?: readonly number[],
): _WeightedPairs {
  _checkPaired(fn, x, y, names);
  const weights = _checkWeights(fn, sampleWeights, x.length);
  const pairs = new _WeightedPairs(x, y, undefined, categories);
  if (weights) pairs.setItemWeights(weights);
  return pairs;
}

/** Clamps a correlation that rounding pushed past ±1. */
export function _clamp(r: number): number {
  return Math.max(-1, Math.min(1, r));
}

/** `values`, and the position of each of `of` among them. */
function _positions(of: Float64Array, values: Float64Array): [Float64Array, Int32Array] {
  const position = new Map<number, number>();
  values.forEach((v, i) => position.set(v, i));
  const index = Int32Array.from(of, (v) => {
    const p = position.get(v);
    if (p === undefined) throw new RangeError(`score ${v} is not one of ${values.join(", ")}`);
    return p;
  });
  return [values, index];
}

/** How many values carry weight, and the last one that does. */
function _used(weights: Float64Array, values: Float64Array): [number, number] {
  let used = 0, only = NaN;
  for (let v = 0; v < weights.length; v++) if (weights[v]! > 0) (used++, only = values[v]!);
  return [used, only];
}
