/**
 * The cluster jackknife interval with G − 1 degrees of freedom: the interval the report uses
 * when a task rests on few cases.
 *
 * @module
 */

import { _tQuantile } from "./_distributions.ts";

/**
 * θ̂ ± t_{G−1, (1+level)/2} · SE_jack, where SE_jack² = (G − 1)/G · Σ_c (θ₍c₎ − θ̄₍·₎)² over the
 * G leave-one-case-out values θ₍c₎ (Quenouille 1956; Tukey 1958). Using Student's t with G − 1
 * degrees of freedom rather than the normal follows the few-cluster literature (Bell &
 * McCaffrey 2002; Cameron, Gelbach & Miller 2008): between-case variance is estimated from G
 * values, so its uncertainty must widen the interval. The jackknife variance is, if anything,
 * biased upward (Efron & Stein 1981), which errs on the honest side.
 *
 * @param estimate The statistic on all cases.
 * @param jackknife The statistic leaving out each case in turn (G values).
 * @param level The confidence level.
 * @returns `{ lower, upper, standardError }`; `NaN` limits with fewer than two cases or when a
 *   leave-one-out value or the estimate is not finite.
 */
export function _jackknifeT(
  estimate: number,
  jackknife: ArrayLike<number>,
  level: number,
  scale: _IntervalScale = "identity",
): { lower: number; upper: number; standardError: number } {
  const G = jackknife.length;
  const [to, from] = _SCALES[scale];
  const values = Array.from(jackknife, to);
  if (scale !== "identity" && ![to(estimate), ...values].every(Number.isFinite)) {
    return _jackknifeT(estimate, jackknife, level, "identity");
  }
  if (scale !== "identity") {
    const r = _jackknifeT(to(estimate), values, level, "identity");
    return { lower: from(r.lower), upper: from(r.upper), standardError: r.standardError };
  }
  const none = { lower: NaN, upper: NaN, standardError: NaN };
  if (G < 2 || !Number.isFinite(estimate)) return none;
  let mean = 0;
  for (let c = 0; c < G; c++) mean += jackknife[c]!;
  mean /= G;
  if (!Number.isFinite(mean)) return none;
  let ss = 0;
  for (let c = 0; c < G; c++) ss += (jackknife[c]! - mean) ** 2;
  const standardError = Math.sqrt(((G - 1) / G) * ss);
  const half = _tQuantile((1 + level) / 2, G - 1) * standardError;
  return { lower: estimate - half, upper: estimate + half, standardError };
}

/** The scale an interval is built on before its limits are mapped back. */
export type _IntervalScale = "identity" | "log" | "atanh" | "logit";

const _SCALES: Record<_IntervalScale, [(x: number) => number, (y: number) => number]> = {
  identity: [(x) => x, (y) => y],
  log: [Math.log, Math.exp],
  atanh: [Math.atanh, Math.tanh],
  logit: [(x) => Math.log(x / (1 - x)), (y) => 1 / (1 + Math.exp(-y))],
};
