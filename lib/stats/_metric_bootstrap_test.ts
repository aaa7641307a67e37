import assert from "node:assert/strict";
import type { MetricName } from "./_metric_registry.ts";
import { _WeightedPairs } from "./_weighted_pairs.ts";
import {
  _bootstrapSettings,
  _drawTables,
  _metricInterval,
  _reportInterval,
} from "./_metric_bootstrap.ts";
import { _jackknifeT } from "./_jackknife_t.ts";
import { _normal, _uniform } from "./_prng.ts";
import { clusterBootstrap } from "./cluster_bootstrap.ts";
import { pairedClusterBootstrap } from "./paired_cluster_bootstrap.ts";
import { meanAbsoluteError } from "./mean_absolute_error.ts";
import { pearson } from "./pearson.ts";
import { cohenKappa } from "./cohen_kappa.ts";
import { kendallTauB } from "./kendall_tau_b.ts";

interface Row {
  case_id: string;
  judge: number;
  physician: number;
  other: number;
}

/** Seeded rows: cases of 1–4 responses, Bond-like values, a case effect shared by both. */
function rows(seed: number, cases: number): Row[] {
  const u = _uniform(seed);
  const bond = [0, 2, 3, 4, 5];
  const out: Row[] = [];
  for (let c = 0; c < cases; c++) {
    const k = 1 + Math.floor(u() * 4), level = Math.floor(u() * 5);
    for (let r = 0; r < k; r++) {
      const shift = () => Math.max(0, Math.min(4, level + Math.round(_normal(u) * 0.8)));
      out.push({
        case_id: `c${c}`,
        judge: bond[shift()]!,
        physician: bond[shift()]!,
        other: bond[shift()]!,
      });
    }
  }
  return out;
}

function tableOf(data: readonly Row[], pick: (r: Row) => number): _WeightedPairs {
  return new _WeightedPairs(data.map(pick), data.map((r) => r.physician), data.map(() => 5));
}

function clustersOf(data: readonly Row[]): { cluster: Int32Array; count: number } {
  const index = new Map<string, number>();
  const cluster = Int32Array.from(data, (r) => {
    if (!index.has(r.case_id)) index.set(r.case_id, index.size);
    return index.get(r.case_id)!;
  });
  return { cluster, count: index.size };
}

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9, `${what}: engine ${a}, clusterBootstrap ${b}`);

Deno.test("_drawTables(): the same resamples and intervals as clusterBootstrap() with the plain functions", () => {
  const data = rows(11, 40);
  const { cluster, count } = clustersOf(data);
  const settings = { resamples: 300, seed: 5, level: 0.9, method: "bca" as const };
  const metrics: MetricName[] = ["mae", "pearson", "kappa_linear", "kendall_tau_b"];
  const [draws] = _drawTables([tableOf(data, (r) => r.judge)], cluster, count, metrics, settings);
  const plain = [
    (s: readonly Row[]) => meanAbsoluteError(s.map((r) => r.judge), s.map((r) => r.physician)),
    (s: readonly Row[]) => pearson(s.map((r) => r.judge), s.map((r) => r.physician)),
    (s: readonly Row[]) =>
      cohenKappa(s.map((r) => r.judge), s.map((r) => r.physician), { weights: "linear" }),
    (s: readonly Row[]) => kendallTauB(s.map((r) => r.judge), s.map((r) => r.physician)),
  ];
  metrics.forEach((m, k) => {
    const expected = clusterBootstrap(data, plain[k]!, {
      cluster: "case_id",
      resamples: 300,
      seed: 5,
      level: 0.9,
    });
    const got = _metricInterval(draws!, k, count, settings);
    close(got.estimate, expected.estimate, `${m} estimate`);
    draws!.replicates[k]!.forEach((x, b) => close(x, expected.replicates[b]!, `${m} rep ${b}`));
    close(got.percentile.lower, expected.percentile.lower, `${m} percentile lower`);
    close(got.percentile.upper, expected.percentile.upper, `${m} percentile upper`);
    close(got.bca.lower, expected.bca.lower, `${m} bca lower`);
    close(got.bca.upper, expected.bca.upper, `${m} bca upper`);
    close(got.acceleration, expected.acceleration, `${m} acceleration`);
    assert.deepEqual(_reportInterval(draws!, k, m, count, settings), got.bca);
  });
});

Deno.test("_metricInterval(): a paired difference equals pairedClusterBootstrap()", () => {
  const data = rows(12, 30);
  const { cluster, count } = clustersOf(data);
  const settings = { resamples: 200, seed: 9, level: 0.95, method: "bca" as const };
  const [a, b] = _drawTables(
    [tableOf(data, (r) => r.judge), tableOf(data, (r) => r.other)],
    cluster,
    count,
    ["mae"],
    settings,
  );
  const got = _metricInterval([a!, b!], 0, count, settings);
  const expected = pairedClusterBootstrap(
    data,
    (s) => meanAbsoluteError(s.map((r) => r.judge), s.map((r) => r.physician)),
    (s) => meanAbsoluteError(s.map((r) => r.other), s.map((r) => r.physician)),
    { cluster: "case_id", resamples: 200, seed: 9 },
  );
  close(got.estimate, expected.difference.estimate, "difference");
  close(got.bca.lower, expected.difference.bca.lower, "bca lower");
  close(got.bca.upper, expected.difference.bca.upper, "bca upper");
});

Deno.test("_reportInterval(): the jackknife-t of each metric is built from the public functions' leave-one-case-out values, on the metric's scale", () => {
  const data = rows(21, 9);
  const { cluster, count } = clustersOf(data);
  const settings = { resamples: 1, seed: 1, level: 0.95, method: "jackknife_t" as const };
  const metrics: MetricName[] = ["mae", "pearson", "bias"];
  const [draws] = _drawTables([tableOf(data, (r) => r.judge)], cluster, count, metrics, settings);
  assert.equal(draws!.replicates[0]!.length, 0, "no resamples are drawn for the jackknife");
  const plain = [
    (s: readonly Row[]) => meanAbsoluteError(s.map((r) => r.judge), s.map((r) => r.physician)),
    (s: readonly Row[]) => pearson(s.map((r) => r.judge), s.map((r) => r.physician)),
    (s: readonly Row[]) => s.reduce((a, r) => a + r.judge - r.physician, 0) / s.length,
  ];
  const scales = ["log", "atanh", "identity"] as const;
  const cases = [...new Set(data.map((r) => r.case_id))];
  metrics.forEach((m, k) => {
    const leaveOut = cases.map((c) => plain[k]!(data.filter((r) => r.case_id !== c)));
    const expected = _jackknifeT(plain[k]!(data), leaveOut, 0.95, scales[k]);
    const got = _reportInterval(draws!, k, m, count, settings);
    close(got.lower, expected.lower, `${m} lower`);
    close(got.upper, expected.upper, `${m} upper`);
  });
});

Deno.test("_reportInterval(): no interval from fewer than 4 cases, whatever the method", () => {
  const data = rows(22, 3);
  const { cluster, count } = clustersOf(data);
  for (const method of ["jackknife_t", "bca", "percentile"] as const) {
    const settings = { resamples: 50, seed: 1, level: 0.95, method };
    const [draws] = _drawTables([tableOf(data, (r) => r.judge)], cluster, count, ["mae"], settings);
    const got = _reportInterval(draws!, 0, "mae", count, settings);
    assert.ok(Number.isNaN(got.lower) && Number.isNaN(got.upper), method);
  }
});

Deno.test("_bootstrapSettings(): defaults, false, and errors naming the option", () => {
  assert.deepEqual(_bootstrapSettings("f", undefined), {
    resamples: 2000,
    seed: 1,
    level: 0.95,
    method: "jackknife_t",
  });
  assert.equal(_bootstrapSettings("f", false), false);
  assert.throws(
    () => _bootstrapSettings("f", { resamples: 0 }),
    /f\(\): options\.bootstrap\.resamples/,
  );
  assert.throws(() => _bootstrapSettings("f", { level: 1 }), /options\.bootstrap\.level/);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => _bootstrapSettings("f", { method: "normal" as any }),
    /options\.bootstrap\.method/,
  );
});

Deno.test("_drawTables(): 95% BCa and percentile intervals of the MAE cover the truth 93–97% of the time under cluster-correlated data", () => {
  // 1,000 simulated studies of 40 cases with 1–3 responses each; a response's judge − physician
  // difference is a case effect plus noise, both N(0, 1), so d ~ N(0, 2) and the true MAE is
  // E|d| = √2 · √(2/π) = 2/√π (seeded: BCa covers 941, percentile 942). Binomial band: with 1,000 studies and true coverage 0.95 the
  // count has sd √(1000 · 0.95 · 0.05) ≈ 6.9, so 930–970 is ±2.9 sd.
  const truth = 2 / Math.sqrt(Math.PI);
  const u = _uniform(4242);
  const studies = 1000;
  let bca = 0, percentile = 0;
  const settings = { resamples: 499, seed: 0, level: 0.95, method: "bca" as const };
  for (let s = 0; s < studies; s++) {
    const d: number[] = [], cases: number[] = [];
    for (let c = 0; c < 40; c++) {
      const effect = _normal(u), k = 1 + Math.floor(u() * 3);
      for (let r = 0; r < k; r++) {
        d.push(effect + _normal(u));
        cases.push(c);
      }
    }
    const table = new _WeightedPairs(d, new Float64Array(d.length));
    const [draws] = _drawTables(
      [table],
      Int32Array.from(cases),
      40,
      ["mae"],
      { ...settings, seed: s + 1 },
    );
    const result = _metricInterval(draws!, 0, 40, settings);
    if (result.bca.lower <= truth && truth <= result.bca.upper) bca++;
    if (result.percentile.lower <= truth && truth <= result.percentile.upper) percentile++;
  }
  assert.ok(bca >= 930 && bca <= 970, `BCa covered ${bca} / ${studies}`);
  assert.ok(
    percentile >= 930 && percentile <= 970,
    `percentile covered ${percentile} / ${studies}`,
  );
});

Deno.test("_drawTables(): a row bootstrap negative control under-covers on the same data", () => {
  // Each response its own cluster ignores the case effect: the interval is too narrow, and
  // coverage falls well below 93% — the check above can fail (cases of 1–7 responses here, so
  // the design effect is plain).
  const truth = 2 / Math.sqrt(Math.PI);
  const u = _uniform(4243);
  let covered = 0;
  const settings = { resamples: 299, seed: 0, level: 0.95, method: "percentile" as const };
  for (let s = 0; s < 300; s++) {
    const d: number[] = [];
    for (let c = 0; c < 40; c++) {
      const effect = _normal(u), k = 1 + Math.floor(u() * 7);
      for (let r = 0; r < k; r++) d.push(effect + _normal(u));
    }
    const table = new _WeightedPairs(d, new Float64Array(d.length));
    const rows = Int32Array.from(d, (_, i) => i);
    const [draws] = _drawTables([table], rows, d.length, ["mae"], { ...settings, seed: s + 1 });
    const r = _metricInterval(draws!, 0, d.length, settings).percentile;
    if (r.lower <= truth && truth <= r.upper) covered++;
  }
  assert.ok(covered / 300 < 0.9, `row bootstrap covered ${covered} / 300`);
});
