/**
 * How amounts of money read in the runner's preflight, progress and summary.
 *
 * @module
 */

/**
 * An amount in the prices' unit, written as dollars (the example config's prices are US
 * dollars): whole cents from $1, four decimals from a cent, two significant digits below, so a
 * small run's cost never reads as $0.00.
 *
 * @param amount The amount.
 * @returns E.g. `"$0"`, `"$12.35"`, `"$0.1972"`, `"$0.0012"`.
 */
export function _money(amount: number): string {
  if (amount === 0) return "$0";
  const sign = amount < 0 ? "-" : "";
  const x = Math.abs(amount);
  if (x >= 1) return `${sign}$${x.toFixed(2)}`;
  return x >= 0.01 ? `${sign}$${x.toFixed(4)}` : `${sign}$${x.toPrecision(2)}`;
}
