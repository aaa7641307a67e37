/**
 * The two-way analysis of variance of an items × raters matrix under item weights, from its
 * columns' weighted means and co-moments: what `icc()` and, on complete data, Krippendorff's
 * interval α are made of.
 *
 * With m_j rater j's weighted mean, e_ij = x_ij − m_j, ē_i the mean of item i's e_ij, and
 * n = Σ_i w_i:
 *
 * - SS_items = k Σ_i w_i ē_i² = (Σ_j C_jj + 2 Σ_{j<l} C_jl) / k, with C_jl = Σ_i w_i e_ij e_il;
 * - SS_raters = n Σ_j (m_j − m̄)² = (n / k) Σ_{j<l} (m_j − m_l)²;
 * - SS_error = Σ_i w_i Σ_j (e_ij − ē_i)² = Σ_{j<l} D_jl / k, with D_jl = Σ_i w_i (e_ij − e_il)².
 *
 * The pairwise forms make a perfect matrix give exactly 0 (equal columns have equal deviations),
 * where subtracting sums would leave a rounding error.
 *
 * @module
 */

/** The weighted means and co-moments of a matrix's columns. */
export interface _ColumnMoments {
  /** The items' total weight. */
  n: number;
  /** Each column's weighted mean. */
  means: readonly number[];
  /** `comoments[j][l]` = C_jl. */
  comoments: readonly (readonly number[])[];
  /** `differences[j][l]` = D_jl (for j < l). */
  differences: readonly (readonly number[])[];
  /** Every value of the items that have weight is the same. */
  constant: boolean;
}

/** The sums of squares of the two-way analysis. */
export interface _SumsOfSquares {
  /** The items' total weight. */
  n: number;
  /** The number of raters. */
  k: number;
  /** Between items. */
  items: number;
  /** Between raters. */
  raters: number;
  /** Residual. */
  error: number;
  /** Every rating is the same value. */
  constant: boolean;
}

/**
 * The weighted means and co-moments of the columns.
 *
 * @param columns One column per rater, one finite value per item.
 * @param weights One non-negative weight per item.
 * @returns The moments.
 */
export function _columnMoments(
  columns: readonly Float64Array[],
  weights: Float64Array,
): _ColumnMoments {
  const k = columns.length, items = weights.length;
  let n = 0, first = NaN, constant = true;
  for (let i = 0; i < items; i++) n += weights[i]!;
  const means = columns.map((column) => {
    let sum = 0;
    for (let i = 0; i < items; i++) {
      sum += weights[i]! * column[i]!;
      if (constant && weights[i]! > 0) {
        constant = Number.isNaN(first) ? (first = column[i]!, true) : column[i] === first;
      }
    }
    return sum / n;
  });
  const comoments = columns.map(() => columns.map(() => 0));
  const differences = columns.map(() => columns.map(() => 0));
  for (let j = 0; j < k; j++) {
    for (let l = j; l < k; l++) {
      let c = 0, d = 0;
      for (let i = 0; i < items; i++) {
        const a = columns[j]![i]! - means[j]!, b = columns[l]![i]! - means[l]!;
        c += weights[i]! * a * b;
        d += weights[i]! * (a - b) * (a - b);
      }
      comoments[j]![l] = comoments[l]![j] = c;
      differences[j]![l] = differences[l]![j] = d;
    }
  }
  return { n, means, comoments, differences, constant };
}

/**
 * The sums of squares, from the moments.
 *
 * @param m The columns' moments.
 * @returns The sums of squares.
 */
export function _sumsOfSquares(m: _ColumnMoments): _SumsOfSquares {
  const k = m.means.length;
  let diagonal = 0, upper = 0, raters = 0, error = 0;
  for (let j = 0; j < k; j++) {
    diagonal += m.comoments[j]![j]!;
    for (let l = j + 1; l < k; l++) {
      upper += m.comoments[j]![l]!;
      raters += (m.means[j]! - m.means[l]!) ** 2;
      error += m.differences[j]![l]!;
    }
  }
  return {
    n: m.n,
    k,
    items: (diagonal + 2 * upper) / k,
    raters: (m.n / k) * raters,
    error: error / k,
    constant: m.constant,
  };
}
