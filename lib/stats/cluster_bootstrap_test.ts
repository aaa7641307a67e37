import assert from "node:assert/strict";
import { clusterBootstrap } from "./cluster_bootstrap.ts";
import { _normal, _uniform } from "./_prng.ts";
import { assertClose } from "./_assert_close.ts";
import fixtures from "./fixtures/bootstrap.json" with { type: "json" };

type Row = { c: number; y: number };

const mean = (rows: readonly { y: number }[]) => {
  let s = 0;
  for (const r of rows) s += r.y;
  return s / rows.length;
};

const variance = (rows: readonly { y: number }[]) => {
  const m = mean(rows);
  let s = 0;
  for (const r of rows) s += (r.y - m) ** 2;
  return s / (rows.length - 1);
};

Deno.test("clusterBootstrap() agrees with scipy.stats.bootstrap's percentile and BCa intervals", () => {
  // scipy used another random stream, both with 200,000 resamples: each limit carries Monte
  // Carlo error of about 0.006 standard errors, so 0.04 SE (≈ 5 sd of the difference) is a
  // fair tolerance. BCa and percentile differ here by 0.3–0.5 SE, far more than that.
  for (const c of fixtures.cases) {
    const stat = c.statistic === "variance" ? variance : mean;
    // The second case's data are cluster means: give each cluster three rows around its mean,
    // so resampling clusters of rows must reproduce scipy's bootstrap of the means.
    const rows: Row[] = c.statistic === "variance"
      ? c.data.map((y, i) => ({ c: i, y }))
      : c.data.flatMap((y, i) => [{ c: i, y: y - 0.1 }, { c: i, y }, { c: i, y: y + 0.1 }]);
    const got = clusterBootstrap(rows, stat, { cluster: "c", resamples: 200_000, seed: 11 });
    const se = c.percentile.standardError;
    assertClose(got.estimate, c.estimate, 1e-12, `${c.name}: estimate`);
    assertClose(got.standardError, se, 0.02 * se, `${c.name}: standard error`);
    for (const side of ["lower", "upper"] as const) {
      assertClose(
        got.percentile[side],
        c.percentile[side],
        0.04 * se,
        `${c.name}: percentile ${side}`,
      );
      assertClose(got.bca[side], c.BCa[side], 0.04 * se, `${c.name}: BCa ${side}`);
    }
    assert.equal(got.clusters, c.data.length);
    assert.equal(got.failed, 0);
  }
});

Deno.test("clusterBootstrap() takes BCa's acceleration from the jackknife over clusters", () => {
  // For a mean of cluster values the jackknife gives a = Σ(x − x̄)³ / (6 (Σ(x − x̄)²)^{3/2})
  // (Efron & Tibshirani 1993, eq. 14.15).
  const x = [0.2, 0.5, 0.9, 1.4, 3.8, 0.1, 0.7];
  const xbar = x.reduce((s, v) => s + v, 0) / x.length;
  const m3 = x.reduce((s, v) => s + (v - xbar) ** 3, 0);
  const m2 = x.reduce((s, v) => s + (v - xbar) ** 2, 0);
  const got = clusterBootstrap(x.map((y, c) => ({ c, y })), mean, { cluster: "c", resamples: 50 });
  assertClose(got.acceleration, m3 / (6 * m2 ** 1.5), 1e-12, "acceleration");
});

Deno.test("clusterBootstrap() resamples whole clusters and numbers their copies", () => {
  // Clusters of 1 and 3 rows: a resample has 2, 4 or 6 rows, never 3 or 5. (The statistic also
  // sees the full data, 4 rows, and the jackknife samples, 3 rows and 1.)
  const rows = [{ id: "a", y: 1 }, { id: "b", y: 2 }, { id: "b", y: 3 }, { id: "b", y: 4 }];
  const sizes = new Set<number>();
  const result = clusterBootstrap(rows, (sample, slots) => {
    sizes.add(sample.length);
    // Every slot holds exactly one cluster: all its rows share the id, and b's come in threes.
    const bySlot = new Map<number, string[]>();
    sample.forEach((r, i) => bySlot.set(slots[i]!, [...(bySlot.get(slots[i]!) ?? []), r.id]));
    for (const ids of bySlot.values()) {
      assert.equal(new Set(ids).size, 1);
      assert.equal(ids.length, ids[0] === "b" ? 3 : 1);
    }
    return mean(sample);
  }, { cluster: "id", resamples: 200 });
  assert.deepEqual([...sizes].sort((x, y) => x - y), [1, 2, 3, 4, 6]);
  assert.equal(result.clusters, 2);
});

Deno.test("clusterBootstrap() is reproducible for a seed and changes with it", () => {
  const rows = Array.from({ length: 30 }, (_, i) => ({ c: i % 10, y: (i * 7919) % 13 }));
  const a = clusterBootstrap(rows, mean, { cluster: "c", seed: 3 });
  const b = clusterBootstrap(rows, mean, { cluster: (r) => r.c, seed: 3 });
  const c = clusterBootstrap(rows, mean, { cluster: "c", seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.replicates, c.replicates);
  assert.equal(a.replicates.length, 2000); // the default number of resamples
  assert.equal(a.level, 0.95);
});

Deno.test("clusterBootstrap() counts undefined replicates and is NaN with one cluster", () => {
  // κ-like statistic that is undefined when the resample holds only cluster 0.
  const rows = [{ c: 0, y: 1 }, { c: 1, y: 2 }, { c: 2, y: 3 }];
  const r = clusterBootstrap(rows, (s) => s.every((x) => x.c === 0) ? NaN : mean(s), {
    cluster: "c",
    resamples: 2700,
  });
  // P(all three draws are cluster 0) = 1/27: about 100 of 2,700, binomial sd ≈ 10.
  assert.ok(r.failed > 60 && r.failed < 140, `failed ${r.failed}`);
  assert.ok(Number.isFinite(r.percentile.lower));
  const one = clusterBootstrap([{ c: 0, y: 1 }, { c: 0, y: 2 }], mean, { cluster: "c" });
  assert.equal(one.estimate, 1.5);
  assert.ok(Number.isNaN(one.percentile.lower) && Number.isNaN(one.bca.upper));
});

Deno.test("clusterBootstrap() rejects empty rows, missing cluster ids and bad options", () => {
  assert.throws(
    () => clusterBootstrap([], mean, { cluster: "y" }),
    /clusterBootstrap\(\): rows is empty/,
  );
  assert.throws(
    () => clusterBootstrap([{ c: 1, y: 1 }, { y: 2 }] as Row[], mean, { cluster: "c" }),
    /rows\[1\] has no cluster id \(options.cluster gave undefined\)/,
  );
  const rows = [{ c: 1, y: 1 }];
  // @ts-expect-error: options (with the cluster) are required.
  assert.throws(() => clusterBootstrap(rows, mean), /options with a cluster .* are required/);
  assert.throws(
    // @ts-expect-error: the cluster must be a property name or a function.
    () => clusterBootstrap(rows, mean, { cluster: [1] }),
    /property name or a function/,
  );
  assert.throws(
    () => clusterBootstrap(rows, mean, { cluster: "c", resamples: 0 }),
    /resamples must be a positive integer/,
  );
  assert.throws(
    () => clusterBootstrap(rows, mean, { cluster: "c", level: 1 }),
    /level must be in \(0, 1\)/,
  );
});

/** Simulates datasets of `clusters` clusters × `size` rows, y = 10 + cluster effect + noise. */
function coverage(
  datasets: number,
  clusters: number,
  size: number,
  clusterSd: number,
  resamples: number,
  byRow: boolean,
): { percentile: number; bca: number } {
  const uniform = _uniform(20261201);
  let percentile = 0, bca = 0;
  for (let d = 0; d < datasets; d++) {
    const rows: Row[] = [];
    for (let c = 0; c < clusters; c++) {
      const effect = clusterSd * _normal(uniform);
      for (let j = 0; j < size; j++) rows.push({ c, y: 10 + effect + _normal(uniform) });
    }
    const r = clusterBootstrap(rows, mean, {
      cluster: byRow ? (_row, i) => i : "c",
      resamples,
      seed: 1000 + d,
    });
    if (r.percentile.lower <= 10 && 10 <= r.percentile.upper) percentile++;
    if (r.bca.lower <= 10 && 10 <= r.bca.upper) bca++;
  }
  return { percentile: percentile / datasets, bca: bca / datasets };
}

Deno.test(
  "clusterBootstrap() 95% intervals of a clustered mean cover the truth in 92-97% of 1,000 " +
    "seeded datasets (binomial sd 0.75%; expected about 94%, as 100 clusters run a little narrow)",
  () => {
    // 100 clusters × 2 rows (intraclass correlation 0.5), 250 resamples each. The band is
    // ±2.5 binomial sd around the ≈ 94% that percentile intervals reach at this size.
    const got = coverage(1000, 100, 2, 1, 250, false);
    for (const kind of ["percentile", "bca"] as const) {
      assert.ok(got[kind] >= 0.92 && got[kind] <= 0.97, `${kind} coverage ${got[kind]}`);
    }
  },
);

Deno.test(
  "clusterBootstrap() over clusters covers > 90% where a row bootstrap of the same data " +
    "covers < 88% (200 datasets, intraclass correlation 0.8)",
  () => {
    // 50 clusters × 3 rows with cluster sd 2, noise sd 1: rows are far from independent, and
    // resampling rows understates the variance by the design effect 1 + 2 · 0.8 = 2.6
    // (expected coverage ≈ 78%). Binomial sd at 200 datasets ≈ 1.6–2.9%.
    const clustered = coverage(200, 50, 3, 2, 250, false);
    const naive = coverage(200, 50, 3, 2, 250, true);
    assert.ok(clustered.percentile > 0.9, `cluster bootstrap coverage ${clustered.percentile}`);
    assert.ok(naive.percentile < 0.88, `row bootstrap coverage ${naive.percentile}`);
  },
);
