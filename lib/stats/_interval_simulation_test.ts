import assert from "node:assert/strict";
import {
  _populationValues,
  _simulateCoverage,
  _SIMULATED_METRICS,
} from "./_interval_simulation.ts";

// A small, seeded version of bench/interval_coverage_bench.ts: the report's jackknife-t must
// cover on the real designs' shapes, and the negative control (ignoring cases) must not — else
// the simulation could not tell a bad interval from a good one. With 300 studies a true
// coverage of 0.95 reads 0.925–0.975 (±2 sd) and 0.90 reads 0.865–0.935.
const truth = _populationValues(_SIMULATED_METRICS);

Deno.test("agreement()'s jackknife-t covers ≥ 90% with 5 cases of 500 responses, where the cluster bootstrap and a row interval do not", () => {
  const table = _simulateCoverage({ cases: 5, responses: 500 }, truth, 300, 199, 31);
  for (const m of _SIMULATED_METRICS) {
    const c = table.agreement[m]!;
    const rate = (x: { covered: number; studies: number }) => x.covered / x.studies;
    assert.ok(rate(c.jackknife_t) >= 0.865, `${m}: jackknife-t ${rate(c.jackknife_t)}`);
    assert.ok(rate(c.bca) < rate(c.jackknife_t) - 0.05, `${m}: BCa ${rate(c.bca)}`);
    assert.ok(rate(c.row_jackknife_t) < 0.5, `${m}: control ${rate(c.row_jackknife_t)}`);
    assert.equal(c.jackknife_t.missing, 0);
  }
  // The ceiling and the gap get no interval below 20 cases.
  assert.equal(table.ceiling.mae!.jackknife_t.missing, 300);
  assert.equal(table.difference.pearson!.jackknife_t.missing, 300);
  assert.equal(table.judge_same_pairs.mae!.jackknife_t.missing, 0);
});

Deno.test("the jackknife-t covers 93–97% from 20 cases on, for agreement, ceiling and judge on its pairs", () => {
  for (const design of [{ cases: 20, responses: 15 }, { cases: 76, responses: 12 }]) {
    const table = _simulateCoverage(design, truth, 300, 1, 32);
    for (const q of ["agreement", "ceiling", "judge_same_pairs"] as const) {
      for (const m of _SIMULATED_METRICS) {
        if (q === "ceiling" && m === "bias") continue; // 0 by construction
        const c = table[q][m]!.jackknife_t, rate = c.covered / c.studies;
        assert.ok(rate >= 0.91 && rate <= 0.985, `${design.cases} cases, ${q} ${m}: ${rate}`);
        assert.ok(c.medianWidth < 1.5, `${q} ${m}: width ${c.medianWidth}`);
      }
    }
    const control = table.agreement.mae!.row_jackknife_t;
    assert.ok(control.covered / control.studies < 0.88, `control ${control.covered}`);
  }
});
