/**
 * How counts, sums, times and money read in the runner's config errors, budget, preflight,
 * progress and summary. Internal.
 *
 * @module
 */

/** 12,345: a count with thousands separators. */
export function _thousands(n: number): string {
  return n.toLocaleString("en-US");
}

/** `one` when `n` is 1, else `many`. */
export function _plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** The sum of `values`. */
export function _sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** 812, 45.3k, 1.2M: token counts at a glance. */
export function _compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 2 : 1)}M`;
}

/** A time left as m:ss or h:mm:ss; "—" when unknown. */
export function _clock(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** 850 ms, 35.2 s, 12 min 5 s, 1 h 3 min. */
export function _duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * An amount in the prices' unit, written as dollars (the example config's prices are US
 * dollars): whole cents from $1, four decimals from a cent, two significant digits below, so a
 * small run's cost never reads as $0.00. E.g. `"$0"`, `"$12.35"`, `"$0.1972"`, `"$0.0012"`.
 */
export function _money(amount: number): string {
  if (amount === 0) return "$0";
  const sign = amount < 0 ? "-" : "";
  const x = Math.abs(amount);
  if (x >= 1) return `${sign}$${x.toFixed(2)}`;
  return x >= 0.01 ? `${sign}$${x.toFixed(4)}` : `${sign}$${x.toPrecision(2)}`;
}
