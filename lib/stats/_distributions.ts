/**
 * The few distribution functions the statistics need, written out because simple-statistics'
 * normal CDF is a two-decimal table lookup and it has no F distribution: the F distribution
 * (CDF and quantile, any positive real degrees of freedom) for the ICC's confidence limits, the
 * standard normal (CDF and quantile) for BCa intervals, and Student's t (CDF and quantile) for
 * intervals and tests with few clusters.
 *
 * Built on the regularized incomplete beta function (continued fraction, modified Lentz) and
 * the regularized incomplete gamma function (series and continued fraction), as in Press et
 * al., Numerical Recipes (3rd ed., §6.2, §6.4), with a Lanczos log-gamma. Tested against scipy.
 *
 * @module
 */

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_ITERATIONS = 100_000;

/** Lanczos coefficients for g = 7, n = 9 (relative error about 1e-15 for positive x). */
const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos approximation).
 *
 * @param x A positive number.
 * @returns ln Γ(x).
 */
export function _logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - _logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The continued fraction of the incomplete beta function (modified Lentz).
 *
 * @param x The point, in (0, 1).
 * @param a First shape.
 * @param b Second shape.
 * @returns The fraction's value.
 */
function _betaFraction(x: number, a: number, b: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  throw new RangeError(`incomplete beta: no convergence for x=${x}, a=${a}, b=${b}`);
}

/**
 * The regularized incomplete beta function I_x(a, b), or its complement 1 − I_x(a, b) computed
 * without cancellation.
 *
 * @param x The point, in [0, 1].
 * @param a First shape, positive.
 * @param b Second shape, positive.
 * @param upper Return 1 − I_x(a, b) instead.
 * @returns The probability.
 */
export function _incompleteBeta(x: number, a: number, b: number, upper = false): number {
  if (x <= 0) return upper ? 1 : 0;
  if (x >= 1) return upper ? 0 : 1;
  const front = Math.exp(
    _logGamma(a + b) - _logGamma(a) - _logGamma(b) + a * Math.log(x) + b * Math.log1p(-x),
  );
  // The fraction converges fast below the mean; above it, use I_x(a, b) = 1 − I_{1−x}(b, a).
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * _betaFraction(x, a, b)) / a;
    return upper ? 1 - lower : lower;
  }
  const complement = (front * _betaFraction(1 - x, b, a)) / b;
  return upper ? complement : 1 - complement;
}

/**
 * The F distribution's CDF, P(F ≤ x), or its upper tail P(F > x).
 *
 * @param x The point.
 * @param df1 Numerator degrees of freedom (positive, need not be an integer).
 * @param df2 Denominator degrees of freedom (positive).
 * @param upper Return the upper tail instead.
 * @returns The probability.
 */
export function _fCdf(x: number, df1: number, df2: number, upper = false): number {
  if (!(df1 > 0) || !(df2 > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return upper ? 1 : 0;
  if (x === Infinity) return upper ? 0 : 1;
  const u = df1 * x;
  // P(F ≤ x) = I_{u/(u+df2)}(df1/2, df2/2); pass the smaller of x and 1 − x as the argument.
  if (u <= df2) return _incompleteBeta(u / (u + df2), df1 / 2, df2 / 2, upper);
  return _incompleteBeta(df2 / (u + df2), df2 / 2, df1 / 2, !upper);
}

/**
 * The F distribution's quantile: the x with P(F ≤ x) = p, found by bisection on ln x (to full
 * double precision; the tail used for comparison is the smaller one, so p near 1 stays exact).
 *
 * @param p The probability, in [0, 1].
 * @param df1 Numerator degrees of freedom (positive, need not be an integer).
 * @param df2 Denominator degrees of freedom (positive).
 * @returns The quantile (0 at p = 0, Infinity at p = 1, NaN for invalid arguments).
 */
export function _fQuantile(p: number, df1: number, df2: number): number {
  if (!(df1 > 0) || !(df2 > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  // In the upper tail the tail probability falls as x grows; in the lower tail it rises.
  const below = (x: number) =>
    upper ? _fCdf(x, df1, df2, true) > target : _fCdf(x, df1, df2) < target;
  let lo = -1, hi = 1;
  while (below(Math.exp(hi))) hi *= 2;
  while (!below(Math.exp(lo))) lo *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (below(Math.exp(mid))) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Student's t distribution's CDF, P(T ≤ t), or its upper tail P(T > t), with `df` degrees of
 * freedom: P(|T| > |t|) = I_{df/(df + t²)}(df/2, ½), split between the two tails by symmetry.
 *
 * @param t The point.
 * @param df Degrees of freedom (positive, need not be an integer).
 * @param upper Return the upper tail instead.
 * @returns The probability.
 */
export function _tCdf(t: number, df: number, upper = false): number {
  if (!(df > 0) || Number.isNaN(t)) return NaN;
  if (t === Infinity) return upper ? 0 : 1;
  if (t === -Infinity) return upper ? 1 : 0;
  const twoTailed = _incompleteBeta(df / (df + t * t), df / 2, 0.5);
  const beyond = twoTailed / 2; // the tail on t's side, beyond |t|
  return upper === (t < 0) ? 1 - beyond : beyond;
}

/**
 * Student's t quantile: the t with P(T ≤ t) = p. Uses T² ~ F(1, df), so the quantile is
 * ±√F⁻¹(|2p − 1|; 1, df) with the sign of p − ½.
 *
 * @param p The probability, in [0, 1].
 * @param df Degrees of freedom (positive, need not be an integer).
 * @returns The quantile (±Infinity at 0 and 1, NaN for invalid arguments).
 */
export function _tQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0.5) return 0;
  const magnitude = Math.sqrt(_fQuantile(Math.abs(2 * p - 1), 1, df));
  return p > 0.5 ? magnitude : -magnitude;
}

/**
 * The regularized lower incomplete gamma function P(a, x) and its complement Q(a, x).
 *
 * @param a The shape, positive.
 * @param x The point, non-negative.
 * @returns `[P, Q]`.
 */
function _incompleteGamma(a: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  const logFront = a * Math.log(x) - x - _logGamma(a);
  if (x < a + 1) {
    // Series: P = e^{−x} x^a / Γ(a + 1) · Σ x^n / ((a + 1) ⋯ (a + n)).
    let term = 1 / a, sum = term;
    for (let n = 1; n <= MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    const p = sum * Math.exp(logFront);
    return [p, 1 - p];
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  const q = Math.exp(logFront) * h;
  return [1 - q, q];
}

/**
 * The standard normal CDF Φ(z), accurate in both tails (via P(½, z²/2)).
 *
 * @param z The point.
 * @returns Φ(z).
 */
export function _normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const [p, q] = _incompleteGamma(0.5, (z * z) / 2);
  return z >= 0 ? 0.5 + 0.5 * p : 0.5 * q;
}

/**
 * The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error
 * about 1e-9) refined by two Newton steps on the accurate CDF.
 *
 * @param p The probability, in [0, 1].
 * @returns Φ⁻¹(p) (±Infinity at 0 and 1, NaN outside).
 */
export function _normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  let z: number;
  if (p < 0.02425) z = tail(Math.sqrt(-2 * Math.log(p)));
  else if (p > 1 - 0.02425) z = -tail(Math.sqrt(-2 * Math.log1p(-p)));
  else {
    const q = p - 0.5, r = q * q;
    z = (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q /
      (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  }
  for (let i = 0; i < 2; i++) {
    // Newton on Φ(z) − p, written through the smaller tail so that p near 1 keeps precision.
    const error = p > 0.5 ? (1 - p) - _normalCdf(-z) : _normalCdf(z) - p;
    const density = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
    if (!(density > 0)) break;
    z -= error / density;
  }
  return z;
}
